//! A size-class allocator for plugin guests (the `fast-alloc` feature).
//!
//! A plugin call reads a submission into owned strings, maps and vectors,
//! builds its findings and frees nearly all of it again: hundreds of small
//! allocations per call. The default allocator of a `wasm32-wasip2` guest
//! (wasi-libc's dlmalloc) takes on the order of a hundred instructions for
//! each `malloc`/`free` pair, and every instruction is metered (fuel) and
//! checked for the epoch deadline.
//!
//! This one keeps a free list per power-of-two size class, 8 bytes to
//! [`MAX_SMALL`]: an allocation pops its class's list or cuts a new block
//! from the current chunk; a free pushes the block back on its list, where
//! the next allocation of that class takes it. Memory is reused, never
//! leaked: what a call holds at most, rounded up to the classes, is what it
//! uses. Larger requests, and any alignment above 16, go to the system
//! allocator, and so do the chunks (64 KiB) the small blocks are cut from.
//!
//! Measured in fuel (deterministic) on the bundled plugins: see
//! engine/benches/plugin.rs.
//!
//! Single-threaded: a WASI 0.2 guest has no threads. [`SizeClasses`] is
//! `Sync` only so that it can be a `static`; it must not be shared between
//! threads (the SDK installs it only on `wasm32` without `atomics`).
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::UnsafeCell;
use std::ptr;

/// The smallest class is 8 bytes (room for the free list's link).
const MIN_SHIFT: u32 = 3;
/// The largest size served from the classes; larger goes to the system.
pub const MAX_SMALL: usize = 32 << 10;
/// Classes 8, 16, ..., [`MAX_SMALL`].
const CLASSES: usize = (MAX_SMALL.trailing_zeros() - MIN_SHIFT + 1) as usize;
/// The largest alignment a block of a class is given.
const MAX_ALIGN: usize = 16;
/// What the small blocks are cut from, taken from the system allocator.
const CHUNK: usize = 64 << 10;
// A fresh chunk holds a block of any class.
const _: () = assert!(MAX_SMALL <= CHUNK);

struct State {
    /// Head of each class's free list (a free block holds the next one's
    /// address in its first word), null when empty.
    free: [*mut u8; CLASSES],
    /// The unused part of the current chunk.
    next: usize,
    end: usize,
}

/// The allocator; see the module docs.
pub struct SizeClasses(UnsafeCell<State>);

// SAFETY: used only in single-threaded guests (see the module docs).
unsafe impl Sync for SizeClasses {}

impl SizeClasses {
    /// An allocator that has allocated nothing yet.
    pub const fn new() -> SizeClasses {
        SizeClasses(UnsafeCell::new(State {
            free: [ptr::null_mut(); CLASSES],
            next: 0,
            end: 0,
        }))
    }
}

impl Default for SizeClasses {
    fn default() -> Self {
        Self::new()
    }
}

/// The class of `layout`, or `None` if the system allocator serves it.
#[inline]
fn class(layout: Layout) -> Option<usize> {
    let size = layout.size().max(1 << MIN_SHIFT);
    if size > MAX_SMALL || layout.align() > MAX_ALIGN {
        return None;
    }
    // ceil(log2(size)) - MIN_SHIFT; size >= 8, so size - 1 > 0.
    let shift = usize::BITS - (size - 1).leading_zeros();
    Some((shift - MIN_SHIFT) as usize)
}

/// The block size of class `c`.
#[inline]
const fn block(c: usize) -> usize {
    1 << (c as u32 + MIN_SHIFT)
}

impl SizeClasses {
    /// Cuts a block of class `c` from the current chunk, taking a new chunk
    /// when it is used up.
    #[cold]
    unsafe fn carve(&self, c: usize) -> *mut u8 {
        // SAFETY: single-threaded, and no reference to the state outlives
        // this call.
        let state = unsafe { &mut *self.0.get() };
        let size = block(c);
        let align = size.min(MAX_ALIGN);
        let mut start = (state.next + align - 1) & !(align - 1);
        if start + size > state.end || state.end == 0 {
            // SAFETY: CHUNK is not zero and the alignment a power of two.
            let chunk =
                unsafe { System.alloc(Layout::from_size_align_unchecked(CHUNK, MAX_ALIGN)) };
            if chunk.is_null() {
                return ptr::null_mut();
            }
            state.next = chunk as usize;
            state.end = chunk as usize + CHUNK;
            start = state.next;
        }
        state.next = start + size;
        start as *mut u8
    }
}

// SAFETY: blocks of a class are `block(c)` bytes, aligned to at least the
// alignment of every layout of the class, and handed out at most once until
// they are freed.
unsafe impl GlobalAlloc for SizeClasses {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(c) = class(layout) else {
            // SAFETY: the caller's layout, passed on.
            return unsafe { System.alloc(layout) };
        };
        // SAFETY: single-threaded; `c < CLASSES`; a block on a free list is
        // at least 8 bytes and holds the next block's address.
        unsafe {
            let state = &mut *self.0.get();
            let head = *state.free.get_unchecked(c);
            if head.is_null() {
                return self.carve(c);
            }
            *state.free.get_unchecked_mut(c) = *(head as *mut *mut u8);
            head
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let Some(c) = class(layout) else {
            // SAFETY: allocated by the system allocator with this layout.
            return unsafe { System.dealloc(ptr, layout) };
        };
        // SAFETY: `ptr` is a block of class `c` (same layout, same class),
        // no longer used by the caller.
        unsafe {
            let state = &mut *self.0.get();
            *(ptr as *mut *mut u8) = *state.free.get_unchecked(c);
            *state.free.get_unchecked_mut(c) = ptr;
        }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller guarantees a valid size for this alignment.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        match (class(layout), class(new_layout)) {
            // The block already has room.
            (Some(old), Some(new)) if old == new => ptr,
            // SAFETY: both served by the system allocator.
            (None, None) => unsafe { System.realloc(ptr, layout, new_size) },
            _ => {
                // SAFETY: a fresh block of `new_size` bytes; the old one is
                // valid for `layout.size()` bytes and freed once copied.
                unsafe {
                    let new = self.alloc(new_layout);
                    if !new.is_null() {
                        ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                        self.dealloc(ptr, layout);
                    }
                    new
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(size: usize, align: usize) -> Layout {
        Layout::from_size_align(size, align).unwrap()
    }

    #[test]
    fn classes_round_up_to_powers_of_two() {
        assert_eq!(class(layout(1, 1)), Some(0));
        assert_eq!(class(layout(8, 8)), Some(0));
        assert_eq!(class(layout(9, 1)), Some(1));
        assert_eq!(class(layout(16, 16)), Some(1));
        assert_eq!(class(layout(17, 4)), Some(2));
        assert_eq!(class(layout(MAX_SMALL, 8)), Some(CLASSES - 1));
        assert_eq!(block(CLASSES - 1), MAX_SMALL);
        assert_eq!(class(layout(MAX_SMALL + 1, 8)), None);
        assert_eq!(class(layout(8, 32)), None);
    }

    #[test]
    fn blocks_are_aligned_distinct_and_reused_once_freed() {
        let a = SizeClasses::new();
        unsafe {
            let mut blocks = Vec::new();
            for (size, align) in [(1, 1), (24, 8), (3, 2), (100, 16), (5000, 4), (24, 8)] {
                let l = layout(size, align);
                let p = a.alloc(l);
                assert!(!p.is_null());
                assert_eq!(p as usize % align, 0, "{size}/{align}");
                ptr::write_bytes(p, 0xAB, size);
                blocks.push((p, l));
            }
            // No two live blocks overlap.
            for (i, (p, l)) in blocks.iter().enumerate() {
                for (q, m) in &blocks[i + 1..] {
                    let (p, q) = (*p as usize, *q as usize);
                    assert!(p + l.size() <= q || q + m.size() <= p);
                }
            }
            // A freed block is the next one of its class.
            let (p, l) = blocks[1];
            a.dealloc(p, l);
            assert_eq!(a.alloc(layout(20, 4)), p);
            for (p, l) in blocks.into_iter().skip(2) {
                a.dealloc(p, l);
            }
        }
    }

    #[test]
    fn realloc_keeps_the_bytes() {
        let a = SizeClasses::new();
        unsafe {
            let l = layout(5, 1);
            let p = a.alloc(l);
            ptr::copy_nonoverlapping(b"hello".as_ptr(), p, 5);
            // Same class: the same block.
            assert_eq!(a.realloc(p, l, 7), p);
            // Up a class, then to the system allocator and back.
            let q = a.realloc(p, layout(7, 1), 40);
            assert_eq!(std::slice::from_raw_parts(q, 5), b"hello");
            let r = a.realloc(q, layout(40, 1), MAX_SMALL * 2);
            assert_eq!(std::slice::from_raw_parts(r, 5), b"hello");
            let s = a.realloc(r, layout(MAX_SMALL * 2, 1), 12);
            assert_eq!(std::slice::from_raw_parts(s, 5), b"hello");
            a.dealloc(s, layout(12, 1));
        }
    }

    #[test]
    fn chunks_are_refilled() {
        let a = SizeClasses::new();
        unsafe {
            // More than one chunk of the largest class, all live at once.
            let l = layout(MAX_SMALL, 8);
            let blocks: Vec<_> = (0..(CHUNK / MAX_SMALL) * 3).map(|_| a.alloc(l)).collect();
            assert!(blocks.iter().all(|p| !p.is_null()));
            let mut sorted: Vec<usize> = blocks.iter().map(|p| *p as usize).collect();
            sorted.sort_unstable();
            assert!(sorted.windows(2).all(|w| w[1] - w[0] >= MAX_SMALL));
            for p in blocks {
                a.dealloc(p, l);
            }
        }
    }
}
