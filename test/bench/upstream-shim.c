/*
 * Stock-kernel shim for the benchmark's build of upstream util-vserver vhashify.
 * Written for this project (not upstream code); build-upstream.sh links it into upstream's
 * vhashify with -Wl,--wrap=vc_get_iattr -Wl,--wrap=vc_set_iattr.
 *
 * Why: upstream asks the Linux-VServer attribute call (x86_64 system call 236, get/set iattr)
 * before linking each file (spec 8.7). On a stock kernel that call fails with ENOSYS, so
 * upstream skips every file as "operation not supported" and there is nothing to measure.
 *
 * What it changes, and nothing else:
 * - Both calls are still made first, so upstream pays the same system call per file as on a
 *   VServer kernel (there it succeeds; here it fails fast). When the real call works, its
 *   result is returned unchanged: on a VServer kernel this binary is plain upstream.
 * - get iattr failing with ENOSYS reports "both flags supported, none set": every file is
 *   linkable, none looks already unified ("busy"), so a re-run re-links what it finds
 *   (an implicit --refresh). The benchmark only measures fresh copies (J1).
 * - set iattr failing with ENOSYS reports success without setting anything: store entries and
 *   guest files end up without the immutable/iunlink protection, as with our --protect none.
 */
#include <errno.h>
#include <stdint.h>

/* Prototypes as the library exports them (xid_t and the flag words are 32-bit unsigned). */
int __real_vc_get_iattr(char const *name, uint32_t *xid, uint32_t *flags, uint32_t *mask);
int __real_vc_set_iattr(char const *name, uint32_t xid, uint32_t flags, uint32_t mask);
int __wrap_vc_get_iattr(char const *name, uint32_t *xid, uint32_t *flags, uint32_t *mask);
int __wrap_vc_set_iattr(char const *name, uint32_t xid, uint32_t flags, uint32_t mask);

int __wrap_vc_get_iattr(char const *name, uint32_t *xid, uint32_t *flags, uint32_t *mask)
{
  int saved = errno;
  /* The real call overwrites *mask even when it fails: keep the bits the caller asked about. */
  uint32_t requested = mask != 0 ? *mask : 0;
  if (__real_vc_get_iattr(name, xid, flags, mask) == 0) return 0;
  if (errno != ENOSYS || mask == 0) return -1;
  errno = saved;
  /* The requested bits all count as supported; none is set. */
  *mask = requested;
  if (xid != 0) *xid = 0;
  if (flags != 0) *flags = 0;
  return 0;
}

int __wrap_vc_set_iattr(char const *name, uint32_t xid, uint32_t flags, uint32_t mask)
{
  int saved = errno;
  if (__real_vc_set_iattr(name, xid, flags, mask) == 0) return 0;
  if (errno != ENOSYS) return -1;
  errno = saved;
  return 0;
}
