//! One function over many items on several threads: the worker pool of a
//! batch `recert check` and of `recert test`.
//!
//! On WebAssembly (`wasm32-unknown-unknown`) threads cannot be spawned, so
//! everything runs on the calling thread there.

/// How many threads to use when asked for 0: one per available core (1 when
/// that is unknown).
pub fn threads(requested: usize) -> usize {
    match requested {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
}

#[cfg(not(target_family = "wasm"))]
thread_local! {
    /// Whether this thread was started with a stack of [`STACK_BYTES`].
    static ON_LARGE_STACK: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` on a thread with a stack of [`STACK_BYTES`]: on this one when it
/// already has such a stack (a worker of [`map`], or inside another call),
/// else on one started for the call, so that a whole pack set compiles on
/// one such thread rather than one per expression. Where no thread can be
/// started (WebAssembly, or the system refuses) or it did not finish, `f`
/// runs here.
pub fn with_large_stack<R: Send>(f: impl Fn() -> R + Sync) -> R {
    #[cfg(not(target_family = "wasm"))]
    if !ON_LARGE_STACK.with(std::cell::Cell::get) {
        let on_thread = std::thread::scope(|scope| {
            std::thread::Builder::new()
                .stack_size(STACK_BYTES)
                .spawn_scoped(scope, || {
                    ON_LARGE_STACK.with(|on| on.set(true));
                    f()
                })
                .ok()
                .and_then(|worker| worker.join().ok())
        });
        if let Some(result) = on_thread {
            return result;
        }
    }
    f()
}

/// `f` of every item of `items`, in the order of `items`, on up to
/// `threads` threads, each with a stack of [`STACK_BYTES`] (one worker for
/// one thread: evaluating an expression recurses). Workers take the next item as they finish one, so slow items
/// do not hold up the rest. An item whose worker panicked is `None`.
pub fn map<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<Option<R>> {
    let threads = threads.min(items.len());
    if threads < 1 || (cfg!(target_family = "wasm") && threads == 1) {
        return items.iter().map(|item| Some(f(item))).collect();
    }
    pool(items, threads, &f)
}

/// The stack of a worker thread. Evaluating an expression recurses once per
/// operator and nesting level, with large frames in a debug build; the
/// expression limits (`expr::limits`) are set so that this is enough. Only
/// the pages used are backed by memory.
pub const STACK_BYTES: usize = 64 * 1024 * 1024;

#[cfg(not(target_family = "wasm"))]
fn pool<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: &(impl Fn(&T) -> R + Sync),
) -> Vec<Option<R>> {
    use std::sync::atomic::{AtomicUsize, Ordering};

    let next = AtomicUsize::new(0);
    let mut results: Vec<Option<R>> = items.iter().map(|_| None).collect();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                std::thread::Builder::new()
                    .stack_size(STACK_BYTES)
                    .spawn_scoped(scope, || {
                        ON_LARGE_STACK.with(|on| on.set(true));
                        let mut done = Vec::new();
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(item) = items.get(i) else { break };
                            done.push((i, f(item)));
                        }
                        done
                    })
            })
            .collect();
        for worker in workers.into_iter().flatten() {
            if let Ok(done) = worker.join() {
                for (i, result) in done {
                    if let Some(slot) = results.get_mut(i) {
                        *slot = Some(result);
                    }
                }
            }
        }
    });
    results
}

#[cfg(target_family = "wasm")]
fn pool<T: Sync, R: Send>(
    items: &[T],
    _threads: usize,
    f: &(impl Fn(&T) -> R + Sync),
) -> Vec<Option<R>> {
    items.iter().map(|item| Some(f(item))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_the_order_of_the_items() {
        let items: Vec<u64> = (0..100).collect();
        let squares = map(&items, 4, |n| n * n);
        assert_eq!(
            squares,
            items.iter().map(|n| Some(n * n)).collect::<Vec<_>>()
        );
        assert_eq!(map(&items, 1, |n| n + 1)[99], Some(100));
        assert!(map(&[] as &[u64], 4, |n| *n).is_empty());
    }

    #[test]
    fn a_large_stack_is_started_once_and_reused_inside() {
        let here = std::thread::current().id();
        let (outer, inner) = with_large_stack(|| {
            let outer = std::thread::current().id();
            (outer, with_large_stack(|| std::thread::current().id()))
        });
        assert_ne!(outer, here);
        assert_eq!(inner, outer);
        let in_worker = map(&[0], 1, |_| {
            let worker = std::thread::current().id();
            (worker, with_large_stack(|| std::thread::current().id()))
        });
        let (worker, nested) = in_worker[0].unwrap();
        assert_eq!(worker, nested);
    }

    #[test]
    fn zero_threads_means_one_per_core() {
        assert!(threads(0) >= 1);
        assert_eq!(threads(3), 3);
    }
}
