/**
 * binfmt_misc registration of qemu-aarch64, which a foreign-architecture RUN step needs:
 * the kernel hands every aarch64 ELF to QEMU. The F (fix binary) flag makes the kernel
 * open the interpreter at registration, so it still works inside buildah's chroot, where
 * /usr/bin/qemu-aarch64-static does not exist. This is machine-wide state: register only
 * when nobody has, and undo exactly what was done.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";

import { requireTool, run } from "./exec";

const BINFMT_DIR = "/proc/sys/fs/binfmt_misc";
const ENTRY = `${BINFMT_DIR}/qemu-aarch64`;
/** Debian's own registration line for qemu-user-static (flags OPF: open, preserve argv0, fix binary). */
const DEBIAN_ENTRY_FILE = "/usr/lib/binfmt.d/qemu-aarch64.conf";

export interface BinfmtRegistration {
    /** What was found or done, for the benchmark's output. */
    description: string;
    /** Undoes this registration (and the mount) if this process made them. */
    restore(): Promise<void>;
}

/** Flags of an existing entry, e.g. "OCF", from its `flags: ...` line. */
export function entryFlags(entryText: string): string {
    return /^flags:\s*(\S*)$/m.exec(entryText)?.[1] ?? "";
}

export async function ensureAarch64Binfmt(): Promise<BinfmtRegistration> {
    requireTool("qemu-aarch64-static");
    let mounted = false;
    if (!fs.existsSync(`${BINFMT_DIR}/register`)) {
        await run(requireTool("mount"), ["-t", "binfmt_misc", "binfmt_misc", BINFMT_DIR]);
        mounted = true;
    }
    const unmount = async (): Promise<void> => {
        if (mounted) {
            await run(requireTool("umount"), [BINFMT_DIR]).catch(() => undefined);
        }
    };
    if (fs.existsSync(ENTRY)) {
        const text = fs.readFileSync(ENTRY, "utf8");
        if (!/^enabled$/m.test(text) || !entryFlags(text).includes("F")) {
            await unmount();
            throw new Error(
                `${ENTRY} is registered without the F flag or disabled (flags "${entryFlags(text)}"); ` +
                    "buildah's chroot cannot reach the interpreter then. Re-register it with F (e.g. update-binfmts) and retry.",
            );
        }
        return {
            description: `qemu-aarch64 binfmt already registered (flags ${entryFlags(text)}); left as found`,
            restore: unmount,
        };
    }
    if (!fs.existsSync(DEBIAN_ENTRY_FILE)) {
        await unmount();
        throw new Error(`${DEBIAN_ENTRY_FILE} not found: run tests/image/install-tools.sh (qemu-user-static)`);
    }
    const line = fs.readFileSync(DEBIAN_ENTRY_FILE, "utf8").trim();
    fs.writeFileSync(`${BINFMT_DIR}/register`, line);
    // Synchronous, so it also runs from an 'exit' handler if the process dies early.
    const undo = (): void => {
        if (fs.existsSync(ENTRY)) {
            // Writing -1 to an entry removes it.
            fs.writeFileSync(ENTRY, "-1");
        }
        if (mounted) {
            spawnSync(requireTool("umount"), [BINFMT_DIR]);
        }
    };
    process.once("exit", undo);
    return {
        description: `qemu-aarch64 binfmt registered from ${DEBIAN_ENTRY_FILE} (flags ${entryFlags(fs.readFileSync(ENTRY, "utf8"))}); removed afterwards`,
        restore: async () => {
            process.removeListener("exit", undo);
            undo();
        },
    };
}

/** True when an aarch64 binary would run here right now through binfmt_misc. */
export function aarch64BinfmtActive(): boolean {
    try {
        return /^enabled$/m.test(fs.readFileSync(ENTRY, "utf8"));
    } catch {
        return false;
    }
}
