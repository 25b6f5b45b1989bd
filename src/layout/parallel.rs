//! How the layout uses the machine's cores: a large tick runs on a pool of threads kept for
//! the process (rayon's) and splits its passes into blocks that the threads take in turn
//! (whichever is free takes the next), so uneven blocks — dense regions cost more than sparse
//! ones — still balance. Every block's result depends only on the block, never on which
//! thread ran it or how many there were, so a seed decides the layout whatever the machine.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

/// Graphs with fewer nodes run their tick on one thread. Measured on 2 cores (release, a
/// generated case, median of 60 ticks): a second thread made the tick 1.4× faster at 2,500
/// nodes, 1.4–1.5× at 5,000 and 10,000, 1.6× at 50,000.
pub(crate) const PARALLEL_MIN_BODIES: usize = 2_500;
/// Most threads one tick uses.
pub(crate) const MAX_THREADS: usize = 4;

/// The machine's parallelism, at most [`MAX_THREADS`] (looked up once per process).
fn available_threads() -> usize {
    static THREADS: OnceLock<usize> = OnceLock::new();
    *THREADS.get_or_init(|| {
        std::thread::available_parallelism()
            .map_or(1, std::num::NonZeroUsize::get)
            .min(MAX_THREADS)
    })
}

/// Threads a pass over `bodies` bodies uses: one below [`PARALLEL_MIN_BODIES`], else the
/// machine's cores, at most `max_threads` (at least one).
pub(crate) fn threads_for(bodies: usize, max_threads: usize) -> usize {
    if bodies >= PARALLEL_MIN_BODIES {
        available_threads().min(max_threads.max(1))
    } else {
        1
    }
}

/// Runs `f` on a pool of `threads` threads (at most [`MAX_THREADS`]) that stays up for the
/// process, so the passes of a tick hand out their blocks to threads that are already running
/// instead of starting new ones (measured at 10k and 50k nodes on 2 cores: 2–4 % a tick; a
/// started thread took 20–80 µs to begin). Returns `None`, having run nothing, when the
/// pool's threads cannot be started.
pub(crate) fn in_pool<R: Send>(threads: usize, f: impl FnOnce() -> R + Send) -> Option<R> {
    static POOLS: [OnceLock<Option<rayon::ThreadPool>>; MAX_THREADS] =
        [const { OnceLock::new() }; MAX_THREADS];
    let threads = threads.clamp(1, MAX_THREADS);
    let pool = POOLS[threads - 1].get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("layout-{i}"))
            .build()
            .ok()
    });
    pool.as_ref().map(|pool| pool.install(f))
}

/// Runs `work(worker, block)` for every block, one task per worker (the calling thread takes
/// one); inside [`in_pool`] the others go to the pool's threads, elsewhere to rayon's global
/// pool. With a single worker the blocks run in order on the calling thread.
pub(crate) fn run_blocks<T: Send, W: Send>(
    blocks: Vec<T>,
    workers: &mut [W],
    work: impl Fn(&mut W, T) + Sync,
) {
    if workers.len() <= 1 || blocks.len() <= 1 {
        if let Some(worker) = workers.first_mut() {
            for block in blocks {
                work(worker, block);
            }
        }
        return;
    }
    let blocks: Vec<Mutex<Option<T>>> = blocks.into_iter().map(|b| Mutex::new(Some(b))).collect();
    let next = AtomicUsize::new(0);
    let take = |worker: &mut W| {
        while let Some(slot) = blocks.get(next.fetch_add(1, Ordering::Relaxed)) {
            let block = slot
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .take();
            if let Some(block) = block {
                work(worker, block);
            }
        }
    };
    let take = &take;
    rayon::in_place_scope(|scope| {
        let mut workers = workers.iter_mut();
        let own = workers.next();
        for worker in workers {
            scope.spawn(move |_| take(worker));
        }
        if let Some(worker) = own {
            take(worker);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_block_runs_once_whatever_the_workers() {
        for workers in [1, 2, 3, 8] {
            let mut seen = vec![0u32; 1_000];
            let blocks: Vec<&mut [u32]> = seen.chunks_mut(7).collect();
            let mut counts = vec![0usize; workers];
            run_blocks(blocks, &mut counts, |count, block| {
                *count += 1;
                for x in block {
                    *x += 1;
                }
            });
            assert!(seen.iter().all(|&x| x == 1), "{workers} workers");
            assert_eq!(counts.iter().sum::<usize>(), 1_000usize.div_ceil(7));
        }
    }

    #[test]
    fn pools_run_their_work_on_their_threads() {
        for threads in [1, 2, 4, 9] {
            let names = in_pool(threads, || {
                let mut names = vec![String::new(); threads.min(MAX_THREADS)];
                let blocks: Vec<usize> = (0..64).collect();
                run_blocks(blocks, &mut names, |name, _| {
                    *name = std::thread::current().name().unwrap_or("").to_owned();
                });
                names
            })
            .expect("the pool starts");
            assert!(
                names
                    .iter()
                    .all(|n| n.starts_with("layout-") || n.is_empty()),
                "{names:?}"
            );
            assert!(names.iter().any(|n| n.starts_with("layout-")), "{names:?}");
        }
    }

    #[test]
    fn small_passes_stay_on_one_thread() {
        assert_eq!(threads_for(PARALLEL_MIN_BODIES - 1, 4), 1);
        assert!(threads_for(PARALLEL_MIN_BODIES, 4) >= 1);
        assert_eq!(threads_for(PARALLEL_MIN_BODIES, 1), 1);
        assert_eq!(threads_for(PARALLEL_MIN_BODIES, 0), 1);
    }
}
