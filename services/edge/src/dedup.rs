//! Per connection: which message seqs of each chat it was sent lately, so that
//! an event delivered twice (delivery is at-least-once: a relay or a consumer
//! that died between publishing and acknowledging sends it again) reaches the
//! socket once. One sliding window per chat, as anti-replay windows work: the
//! highest seq sent and a bitmap of the 64 below it, 16 bytes per chat. A seq
//! further back than the window is passed on (it cannot be told apart). A
//! chat left and joined again keeps counting up, so windows are never reset.

use std::collections::HashMap;

#[derive(Debug, Default)]
pub struct SentSeqs {
    by_chat: HashMap<i64, Window>,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    highest: i64,
    /// Bit k: seq `highest - 1 - k` was sent.
    below: u64,
}

impl SentSeqs {
    /// Whether `seq` of `chat` goes out now (not sent before); records it.
    pub fn first_time(&mut self, chat: i64, seq: i64) -> bool {
        let Some(w) = self.by_chat.get_mut(&chat) else {
            self.by_chat.insert(
                chat,
                Window {
                    highest: seq,
                    below: 0,
                },
            );
            return true;
        };
        if seq > w.highest {
            let d = seq - w.highest;
            w.below = if d >= 64 { 0 } else { w.below << d };
            if d <= 64 {
                w.below |= 1 << (d - 1);
            }
            w.highest = seq;
            return true;
        }
        if seq == w.highest {
            return false;
        }
        let k = w.highest - 1 - seq;
        if k >= 64 {
            return true;
        }
        let bit = 1u64 << k;
        let fresh = w.below & bit == 0;
        w.below |= bit;
        fresh
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_are_caught_in_any_order_within_the_window() {
        let mut sent = SentSeqs::default();
        for seq in [1, 2, 3] {
            assert!(sent.first_time(7, seq));
        }
        assert!(!sent.first_time(7, 3), "the highest again");
        assert!(!sent.first_time(7, 1), "an older one again");
        assert!(sent.first_time(7, 5), "a gap is fine");
        assert!(sent.first_time(7, 4), "late, first time");
        assert!(!sent.first_time(7, 4));
        assert!(sent.first_time(8, 3), "chats are apart");
    }

    #[test]
    fn the_window_slides_and_old_seqs_pass() {
        let mut sent = SentSeqs::default();
        assert!(sent.first_time(1, 10));
        assert!(
            sent.first_time(1, 74),
            "64 ahead: 10 is at the window's edge"
        );
        assert!(!sent.first_time(1, 10), "still inside");
        assert!(sent.first_time(1, 200), "a jump clears the window");
        assert!(sent.first_time(1, 74), "too old to tell: passed on");
        assert!(sent.first_time(1, 136), "the oldest seq the window holds");
        assert!(!sent.first_time(1, 136));
    }
}
