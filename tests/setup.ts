// mocha loads this first (.mocharc.json); the stack-trace setup is shared with npm run check.
import "../harness/stackTraces";
