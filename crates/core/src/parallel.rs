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

/// `f` of every item `items` yields, on up to `threads` workers (each with a
/// stack of [`STACK_BYTES`]), handed to `sink` with its item in the order of
/// `items`, on the calling thread, as soon as it and every item before it are
/// done. At most `window` items (at least `threads`) are read ahead of the
/// last one handed to `sink`: memory does not grow with the number of items,
/// and the order of what `sink` sees never depends on `threads`. An item
/// whose `f` panicked is handed to `sink` with `None`.
///
/// One thread asked for on a thread with a stack of [`STACK_BYTES`]
/// already (inside [`with_large_stack`]): `f` and `sink` run here, one item
/// after the other. What `f` makes and `sink` frees then stays with one
/// thread's allocator: glibc keeps a heap (arena) per thread, and memory
/// freed in one thread's is not reused by another's.
pub fn stream<T: Send, R: Send>(
    items: impl Iterator<Item = T> + Send,
    threads: usize,
    window: usize,
    f: impl Fn(&T) -> R + Sync,
    mut sink: impl FnMut(T, Option<R>),
) {
    #[cfg(not(target_family = "wasm"))]
    let items = if threads == 1 && ON_LARGE_STACK.with(std::cell::Cell::get) {
        items
    } else {
        match stream_pool(
            items,
            threads.max(1),
            window.max(threads).max(1),
            &f,
            &mut sink,
        ) {
            Some(items) => items,
            None => return,
        }
    };
    // No thread could be started (or WebAssembly): everything runs here.
    let _ = threads;
    let _ = window;
    for item in items {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&item))).ok();
        sink(item, result);
    }
}

/// [`stream`] on threads; `Some(items)` back, untouched, when no worker
/// could be started.
#[cfg(not(target_family = "wasm"))]
fn stream_pool<T: Send, R: Send, I: Iterator<Item = T> + Send>(
    items: I,
    threads: usize,
    window: usize,
    f: &(impl Fn(&T) -> R + Sync),
    sink: &mut impl FnMut(T, Option<R>),
) -> Option<I> {
    use std::collections::BTreeMap;
    use std::sync::mpsc::{channel, sync_channel};
    use std::sync::{Arc, Mutex};

    // A token per item in flight: the reader takes one before it reads an
    // item, and gets it back when that item has gone to `sink`.
    let (slot_tx, slot_rx) = sync_channel::<()>(window);
    for _ in 0..window {
        let _ = slot_tx.send(());
    }
    let (work_tx, work_rx) = sync_channel::<(usize, T)>(window);
    let work_rx = Arc::new(Mutex::new(work_rx));
    let (done_tx, done_rx) = channel::<(usize, T, Option<R>)>();
    let items = Mutex::new(Some(items));

    std::thread::scope(|scope| {
        let mut workers = 0;
        for _ in 0..threads {
            let work_rx = Arc::clone(&work_rx);
            let done_tx = done_tx.clone();
            let started = std::thread::Builder::new()
                .stack_size(STACK_BYTES)
                .spawn_scoped(scope, move || {
                    ON_LARGE_STACK.with(|on| on.set(true));
                    loop {
                        let job = match work_rx.lock() {
                            Ok(rx) => rx.recv(),
                            Err(_) => break,
                        };
                        let Ok((i, item)) = job else { break };
                        let result =
                            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&item)))
                                .ok();
                        if done_tx.send((i, item, result)).is_err() {
                            break;
                        }
                    }
                });
            if started.is_ok() {
                workers += 1;
            }
        }
        drop(done_tx);
        drop(work_rx);
        if workers == 0 {
            return;
        }
        let items = &items;
        // The reader owns the sending side: when it ends (or cannot start),
        // the workers finish what is queued and stop.
        let started = std::thread::Builder::new()
            .spawn_scoped(scope, move || {
                let Some(all) = items.lock().ok().and_then(|mut items| items.take()) else {
                    return;
                };
                for (i, item) in all.enumerate() {
                    if slot_rx.recv().is_err() || work_tx.send((i, item)).is_err() {
                        break;
                    }
                }
            })
            .is_ok();
        if !started {
            return;
        }
        let mut pending = BTreeMap::new();
        let mut next = 0;
        for (i, item, result) in done_rx {
            pending.insert(i, (item, result));
            while let Some((item, result)) = pending.remove(&next) {
                sink(item, result);
                next += 1;
                let _ = slot_tx.send(());
            }
        }
    });
    items.into_inner().ok().flatten()
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
    fn a_stream_comes_out_in_order_with_a_bounded_window() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let read = AtomicUsize::new(0);
        let items = (0..500u64).inspect(|_| {
            read.fetch_add(1, Ordering::SeqCst);
        });
        let mut seen = Vec::new();
        let mut most_ahead = 0;
        stream(
            items,
            4,
            16,
            |n| {
                // Later items finish first now and then.
                if n % 7 == 0 {
                    std::thread::sleep(std::time::Duration::from_millis(2));
                }
                n * n
            },
            |n, square| {
                most_ahead = most_ahead.max(read.load(Ordering::SeqCst) - seen.len());
                seen.push((n, square));
            },
        );
        assert_eq!(
            seen,
            (0..500u64).map(|n| (n, Some(n * n))).collect::<Vec<_>>()
        );
        assert!(most_ahead <= 17, "read {most_ahead} items ahead");
    }

    #[test]
    fn a_panicking_item_comes_out_as_none_and_the_rest_run() {
        for threads in [1, 3] {
            let mut seen = Vec::new();
            stream(
                0..10u32,
                threads,
                4,
                |n| {
                    assert_ne!(*n, 3, "boom");
                    *n
                },
                |n, r| seen.push((n, r)),
            );
            assert_eq!(seen.len(), 10);
            assert_eq!(seen[3], (3, None));
            assert_eq!(seen[9], (9, Some(9)));
        }
    }

    #[test]
    fn one_thread_on_a_large_stack_streams_here() {
        let (here, seen) = with_large_stack(|| {
            let here = std::thread::current().id();
            let mut seen = Vec::new();
            stream(
                0..5u32,
                1,
                2,
                |n| (*n, std::thread::current().id()),
                |n, r| seen.push((n, r, std::thread::current().id())),
            );
            (here, seen)
        });
        assert_eq!(seen.len(), 5);
        for (i, (n, r, sink)) in seen.into_iter().enumerate() {
            assert_eq!(usize::try_from(n).unwrap(), i);
            assert_eq!(r, Some((n, here)), "f ran on another thread");
            assert_eq!(sink, here);
        }
        // Elsewhere, one worker still gets a large stack of its own.
        let mut workers = Vec::new();
        stream(
            0..2u32,
            1,
            2,
            |_| std::thread::current().id(),
            |_, r| workers.push(r),
        );
        let main = std::thread::current().id();
        assert!(workers.iter().all(|w| w.is_some_and(|w| w != main)));
    }

    #[test]
    fn zero_threads_means_one_per_core() {
        assert!(threads(0) >= 1);
        assert_eq!(threads(3), 3);
    }
}
