// Byte counts for people: binary units with one decimal (what `du -h` and `ls -lh` print).
const UNITS = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

/** `512 B`, `1.5 KiB`, `12.3 MiB`, …; a negative count keeps its sign. */
export function formatByteSize(bytes: bigint): string {
  const sign = bytes < 0n ? '-' : '';
  const magnitude = bytes < 0n ? -bytes : bytes;
  if (magnitude < 1024n) return `${sign}${magnitude} B`;
  let value = Number(magnitude) / 1024;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${sign}${value.toFixed(1)} ${UNITS[unit]}`;
}
