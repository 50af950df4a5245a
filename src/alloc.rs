//! A size-class cache in front of the WebAssembly allocator.
//!
//! Linting allocates and frees millions of small blocks: every token the
//! parser consumes is cloned, every AST node and name is its own allocation.
//! Natively mimalloc serves these from per-size free lists; WebAssembly has no
//! mimalloc, and talc (a general-purpose allocator) spends about 15% of a lint
//! run finding and merging free space. [`SizeClasses`] keeps a free list per
//! 8-byte size class up to [`MAX_SMALL`] bytes: freeing a small block pushes it
//! on its list, allocating one pops it, and only when a list is empty does the
//! request reach the inner allocator. Larger blocks go straight through.
//!
//! Blocks on the lists are never handed back to the inner allocator, so the
//! memory a size class holds is its peak use; WebAssembly memory never shrinks
//! either. Single-threaded only: WebAssembly without the `atomics` feature has
//! one thread.
//!
//! The one module of the crate that allows `unsafe`: an allocator is made of it.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout};
use std::cell::UnsafeCell;
use std::ptr;

/// The size classes are multiples of this, and so is every block's alignment.
const GRAIN: usize = 8;
/// The largest size served from the free lists.
pub const MAX_SMALL: usize = 256;
const CLASSES: usize = MAX_SMALL / GRAIN;

/// Per-size free lists in front of `A`. See the module documentation.
pub struct SizeClasses<A> {
    inner: A,
    /// The head of each class's list; each free block starts with a pointer
    /// to the next.
    free: UnsafeCell<[*mut u8; CLASSES]>,
}

// SAFETY: only used where there is one thread (WebAssembly without atomics,
// and single-threaded tests).
unsafe impl<A: Sync> Sync for SizeClasses<A> {}

impl<A> SizeClasses<A> {
    pub const fn new(inner: A) -> Self {
        SizeClasses {
            inner,
            free: UnsafeCell::new([ptr::null_mut(); CLASSES]),
        }
    }
}

/// The class serving `layout`, if it is small.
#[inline]
fn class(layout: Layout) -> Option<usize> {
    (layout.size() <= MAX_SMALL && layout.align() <= GRAIN)
        .then(|| layout.size().saturating_sub(1) / GRAIN)
}

/// The layout a class's blocks are allocated with from the inner allocator.
#[inline]
fn block(class: usize) -> Layout {
    // SAFETY: a non-zero multiple of GRAIN, a power of two, far from overflow.
    unsafe { Layout::from_size_align_unchecked((class + 1) * GRAIN, GRAIN) }
}

unsafe impl<A: GlobalAlloc> GlobalAlloc for SizeClasses<A> {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(class) = class(layout) else {
            return self.inner.alloc(layout);
        };
        let lists = &mut *self.free.get();
        let head = lists[class];
        if head.is_null() {
            return self.inner.alloc(block(class));
        }
        // SAFETY: a free block of at least GRAIN bytes starts with the next
        // pointer, written by `dealloc` (GRAIN-aligned).
        lists[class] = head.cast::<*mut u8>().read();
        head
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let Some(class) = class(layout) else {
            return self.inner.dealloc(ptr, layout);
        };
        let lists = &mut *self.free.get();
        ptr.cast::<*mut u8>().write(lists[class]);
        lists[class] = ptr;
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller guarantees `new_size` with this alignment is a
        // valid layout.
        let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
        match (class(layout), class(new_layout)) {
            // Both large: the inner allocator may grow the block in place.
            (None, None) => self.inner.realloc(ptr, layout, new_size),
            // The block already has room.
            (Some(old), Some(new)) if old == new => ptr,
            _ => {
                let new_ptr = self.alloc(new_layout);
                if !new_ptr.is_null() {
                    ptr::copy_nonoverlapping(ptr, new_ptr, layout.size().min(new_size));
                    self.dealloc(ptr, layout);
                }
                new_ptr
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::alloc::System;
    use std::cell::RefCell;
    use std::collections::HashMap;

    /// Counts what reaches the inner allocator.
    struct Counting {
        live: RefCell<HashMap<usize, Layout>>,
        calls: RefCell<usize>,
    }
    unsafe impl Sync for Counting {}
    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            *self.calls.borrow_mut() += 1;
            let p = System.alloc(layout);
            self.live.borrow_mut().insert(p as usize, layout);
            p
        }
        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            assert_eq!(
                self.live.borrow_mut().remove(&(ptr as usize)),
                Some(layout),
                "freed with its layout"
            );
            System.dealloc(ptr, layout)
        }
    }

    fn counting() -> SizeClasses<Counting> {
        SizeClasses::new(Counting {
            live: RefCell::default(),
            calls: RefCell::new(0),
        })
    }

    #[test]
    fn small_blocks_are_reused_per_class_and_large_ones_pass_through() {
        let a = counting();
        unsafe {
            let l24 = Layout::from_size_align(24, 8).unwrap();
            let p = a.alloc(l24);
            p.write_bytes(0xAB, 24);
            a.dealloc(p, l24);
            // 17..=24 bytes share the class: the freed block comes back.
            let l17 = Layout::from_size_align(17, 1).unwrap();
            assert_eq!(a.alloc(l17), p);
            // Another class does not get it.
            let l32 = Layout::from_size_align(32, 8).unwrap();
            let q = a.alloc(l32);
            assert_ne!(q, p);
            assert_eq!(*a.inner.calls.borrow(), 2);
            // Large blocks and over-aligned ones go to the inner allocator each time.
            let big = Layout::from_size_align(MAX_SMALL + 1, 8).unwrap();
            let b = a.alloc(big);
            a.dealloc(b, big);
            let aligned = Layout::from_size_align(16, 16).unwrap();
            let c = a.alloc(aligned);
            assert_eq!(c as usize % 16, 0);
            a.dealloc(c, aligned);
            assert_eq!(*a.inner.calls.borrow(), 4);
            assert_eq!(
                a.inner.live.borrow().len(),
                2,
                "only the two small blocks are live in the inner allocator"
            );
        }
    }

    #[test]
    fn realloc_keeps_contents_across_classes_and_to_large() {
        let a = counting();
        unsafe {
            let mut layout = Layout::from_size_align(5, 1).unwrap();
            let mut p = a.alloc(layout);
            p.copy_from_nonoverlapping(b"hello".as_ptr(), 5);
            for new_size in [7, 8, 9, 100, MAX_SMALL, MAX_SMALL + 1, 4000, 300, 12, 3] {
                let q = a.realloc(p, layout, new_size);
                assert!(!q.is_null());
                let kept = 5.min(new_size);
                assert_eq!(
                    std::slice::from_raw_parts(q, kept),
                    &b"hello"[..kept],
                    "to {new_size}"
                );
                if new_size == 7 || new_size == 8 {
                    assert_eq!(q, p, "same class, same block");
                }
                p = q;
                layout = Layout::from_size_align(new_size, 1).unwrap();
            }
            a.dealloc(p, layout);
        }
    }

    #[test]
    fn many_interleaved_blocks_never_overlap() {
        let a = counting();
        let mut live: Vec<(*mut u8, Layout, u8)> = Vec::new();
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        unsafe {
            for i in 0..20_000u32 {
                let r = next();
                if r % 3 == 0 && !live.is_empty() {
                    let (p, l, tag) = live.swap_remove((r as usize / 3) % live.len());
                    assert!(
                        std::slice::from_raw_parts(p, l.size())
                            .iter()
                            .all(|&b| b == tag),
                        "block kept its bytes"
                    );
                    a.dealloc(p, l);
                } else {
                    let size = 1 + (r >> 8) as usize % 400;
                    let l = Layout::from_size_align(size, 1 << ((r >> 20) % 4)).unwrap();
                    let p = a.alloc(l);
                    assert_eq!(p as usize % l.align(), 0);
                    let tag = i as u8;
                    p.write_bytes(tag, size);
                    live.push((p, l, tag));
                }
            }
            for (p, l, tag) in live {
                assert!(std::slice::from_raw_parts(p, l.size())
                    .iter()
                    .all(|&b| b == tag));
                a.dealloc(p, l);
            }
        }
    }
}
