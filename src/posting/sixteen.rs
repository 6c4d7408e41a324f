//! Sixteen bytes of a posting classified at once, for the scans over its bytes (the normaliser's, the sentence
//! finder's, the proximity word bits', a regex try's): which bytes equal a value, or lie in a range, as a 16-bit
//! mask (bit `k` for byte `k`). On x86-64 it is SSE2, which every
//! x86-64 processor has: a comparison and a mask of sixteen bytes take a few instructions, where the eight-byte
//! `u64` tricks took a dozen for half as many bytes. Elsewhere the same type works a byte at a time.
//!
//! The unsafe code is confined here: SSE2 calls are `unsafe` to Rust unless a function enables the feature by name,
//! and the feature is part of the x86-64 target itself, so they cannot fail.

#[cfg(target_arch = "x86_64")]
pub(crate) use sse2::Sixteen;

#[cfg(not(target_arch = "x86_64"))]
pub(crate) use portable::Sixteen;

#[cfg(target_arch = "x86_64")]
mod sse2 {
    use std::arch::x86_64::{
        __m128i, _mm_and_si128, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8, _mm_sub_epi8,
    };

    /// Sixteen bytes, or sixteen byte flags (0xFF for a byte that passed a test, 0 for one that did not).
    #[derive(Clone, Copy)]
    pub(crate) struct Sixteen(__m128i);

    // SAFETY (every block below): SSE2 is enabled for every x86-64 target, so its instructions are always there;
    // the one load reads the sixteen bytes of the array it is given.
    impl Sixteen {
        #[inline(always)]
        pub(crate) fn load(bytes: &[u8; 16]) -> Sixteen {
            Sixteen(unsafe { _mm_loadu_si128(bytes.as_ptr().cast()) })
        }

        /// The flags of the bytes equal to `v`.
        #[inline(always)]
        pub(crate) fn eq(self, v: u8) -> Sixteen {
            Sixteen(unsafe { _mm_cmpeq_epi8(self.0, _mm_set1_epi8(v as i8)) })
        }

        /// The flags of the bytes in `a..=z` (`a <= z`).
        #[inline(always)]
        pub(crate) fn within(self, a: u8, z: u8) -> Sixteen {
            // `b - a` wraps below `a`, so the bytes in range are those with `b - a <= z - a`, unsigned.
            unsafe {
                let d = _mm_sub_epi8(self.0, _mm_set1_epi8(a as i8));
                Sixteen(_mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8((z - a) as i8)), d))
            }
        }

        /// The high bit of each byte, as bit `k` for byte `k` (the flags as a mask; for bytes, the non-ASCII ones).
        #[inline(always)]
        pub(crate) fn bits(self) -> u32 {
            unsafe { _mm_movemask_epi8(self.0) as u32 }
        }
    }

    impl std::ops::BitOr for Sixteen {
        type Output = Sixteen;
        #[inline(always)]
        fn bitor(self, o: Sixteen) -> Sixteen {
            Sixteen(unsafe { _mm_or_si128(self.0, o.0) })
        }
    }

    impl std::ops::BitAnd for Sixteen {
        type Output = Sixteen;
        #[inline(always)]
        fn bitand(self, o: Sixteen) -> Sixteen {
            Sixteen(unsafe { _mm_and_si128(self.0, o.0) })
        }
    }
}

/// The same operations a byte at a time: the type where there is no SSE2, and what the tests hold it to.
#[cfg(any(not(target_arch = "x86_64"), test))]
pub(crate) mod portable {
    /// Sixteen bytes, or sixteen byte flags (0xFF for a byte that passed a test, 0 for one that did not).
    #[derive(Clone, Copy)]
    pub(crate) struct Sixteen([u8; 16]);

    impl Sixteen {
        #[inline]
        pub(crate) fn load(bytes: &[u8; 16]) -> Sixteen {
            Sixteen(*bytes)
        }

        fn flags(self, test: impl Fn(u8) -> bool) -> Sixteen {
            Sixteen(self.0.map(|b| if test(b) { 0xFF } else { 0 }))
        }

        /// The flags of the bytes equal to `v`.
        #[inline]
        pub(crate) fn eq(self, v: u8) -> Sixteen {
            self.flags(|b| b == v)
        }

        /// The flags of the bytes in `a..=z` (`a <= z`).
        #[inline]
        pub(crate) fn within(self, a: u8, z: u8) -> Sixteen {
            self.flags(|b| (a..=z).contains(&b))
        }

        /// The high bit of each byte, as bit `k` for byte `k`.
        #[inline]
        pub(crate) fn bits(self) -> u32 {
            self.0.iter().enumerate().fold(0, |m, (k, &b)| m | u32::from(b >> 7) << k)
        }
    }

    impl std::ops::BitOr for Sixteen {
        type Output = Sixteen;
        fn bitor(self, o: Sixteen) -> Sixteen {
            Sixteen(std::array::from_fn(|k| self.0[k] | o.0[k]))
        }
    }

    impl std::ops::BitAnd for Sixteen {
        type Output = Sixteen;
        fn bitand(self, o: Sixteen) -> Sixteen {
            Sixteen(std::array::from_fn(|k| self.0[k] & o.0[k]))
        }
    }
}

/// The sixteen bytes of `bytes` from `at`, if there are as many.
#[inline(always)]
pub(crate) fn at(bytes: &[u8], at: usize) -> Option<Sixteen> {
    let block: &[u8; 16] = bytes.get(at..at.checked_add(16)?)?.try_into().ok()?;
    Some(Sixteen::load(block))
}

#[cfg(test)]
mod tests {
    use super::portable;

    /// Every operation agrees with the byte-at-a-time type on every byte value at every place.
    #[test]
    fn the_sixteen_byte_tests_agree_with_the_portable_ones() {
        for b in 0..=255u8 {
            for k in 0..16 {
                let mut block = [b'a'; 16];
                block[k] = b;
                block[(k + 7) % 16] = b.wrapping_mul(31);
                let (s, p) = (super::Sixteen::load(&block), portable::Sixteen::load(&block));
                assert_eq!(s.bits(), p.bits(), "{block:?}");
                for (a, z) in [(b'a', b'z'), (b'A', b'Z'), (9, 13), (0, 255), (b, b), (0x80, 0xff)] {
                    assert_eq!(s.within(a, z).bits(), p.within(a, z).bits(), "{a}..={z} {block:?}");
                }
                for v in [b, b'.', 0x93, 0] {
                    assert_eq!(s.eq(v).bits(), p.eq(v).bits(), "{v} {block:?}");
                    let (sm, pm) = (s.eq(v) | s.within(b'A', b'Z'), p.eq(v) | p.within(b'A', b'Z'));
                    assert_eq!(sm.bits(), pm.bits());
                    let (sm, pm) = (s.eq(v) & s.within(0x80, 0xff), p.eq(v) & p.within(0x80, 0xff));
                    assert_eq!(sm.bits(), pm.bits());
                }
            }
        }
    }
}
