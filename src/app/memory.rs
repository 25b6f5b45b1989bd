//! Gives memory that a big job freed back to the system.
//!
//! glibc's allocator keeps what a program frees for its next allocations: one pool (arena)
//! per thread that allocated, and free space between chunks still in use is not returned on
//! its own. Opening a big case reads, checks and prepares it on two threads and then frees the
//! file's text, the reader's lists and the views' scratch, and the first frame frees the copies
//! of its mesh: those pages stayed resident (84 MiB of free pool space when a 100,000-node case
//! was first shown, measured with `mallinfo2`). The app caps the pools at two and trims them
//! once a case is shown; with other allocators or systems both calls do nothing.

/// Most allocator pools (arenas) the process keeps: about one per core here.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MAX_ARENAS: i32 = 2;

/// Caps the allocator's per-thread pools (call once, before threads start).
pub fn limit_allocator_pools() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` only sets a tuning parameter of glibc's allocator; it may be called
    // at any time and reports failure by its return value (ignored: the default then holds).
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, MAX_ARENAS);
    }
}

/// Returns the allocator's free pages to the system (about a millisecond after a 100k case).
pub fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` walks glibc's own free lists under their locks and releases whole
    // free pages; it touches no memory in use and may be called from any thread.
    unsafe {
        libc::malloc_trim(0);
    }
}
