// mocha loads this first (.mocharc.json); the stack-trace setup is shared with the tools (npm run check).
import "../harness/stackTraces";
