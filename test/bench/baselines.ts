// The baselines measured beside our tool: util-linux hardlink, and the hashing floor (find | xargs sha1sum).

/** A command to measure. */
export interface CommandLine {
  file: string;
  args: string[];
}

/**
 * `hardlink -s 16 <g1> <g2> …`: `-s` is the minimum size, so files of 16 bytes and more are
 * considered, the same set as vhashify's (it skips files under 16 bytes). Mode, owner and mtime
 * must match by default, as for vhashify's store entries; xattrs are ignored unless -X.
 */
export function formatHardlinkCommand(guestDirs: readonly string[]): CommandLine {
  return { file: 'hardlink', args: ['-s', '16', ...guestDirs] };
}

/** The floor: hash every file of 16 bytes or more once, two processes, nothing else (`-size +15c` is > 15 bytes). */
export function formatFloorCommand(guestDirs: readonly string[]): CommandLine {
  return { file: 'sh', args: ['-c', 'find "$@" -type f -size +15c -print0 | xargs -0 -P2 sha1sum > /dev/null', 'sh', ...guestDirs] };
}
