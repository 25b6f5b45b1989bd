//! The gap sentences of one expansion, bounded: a hostile answer with thousands of unreadable
//! transactions gives a few sentences and a count, not thousands of lines.

/// Gap sentences kept before the rest are only counted.
const MAX_GAPS: usize = 20;

/// Characters of one gap sentence kept at most (error texts quote server answers).
const MAX_GAP_CHARS: usize = 600;

/// Gap sentences being collected.
#[derive(Debug, Default)]
pub(super) struct GapList {
    list: Vec<String>,
    more: usize,
}

impl GapList {
    /// Adds a sentence (cut to [`MAX_GAP_CHARS`] characters), or counts it past [`MAX_GAPS`].
    pub(super) fn push(&mut self, sentence: String) {
        if self.list.len() >= MAX_GAPS {
            self.more += 1;
            return;
        }
        let sentence = if sentence.chars().count() > MAX_GAP_CHARS {
            let mut cut: String = sentence.chars().take(MAX_GAP_CHARS).collect();
            cut.push('…');
            cut
        } else {
            sentence
        };
        self.list.push(sentence);
    }

    /// The sentences, with "and N more" when some were only counted.
    pub(super) fn finish(mut self) -> Vec<String> {
        if self.more > 0 {
            self.list
                .push(format!("and {} more parts could not be read", self.more));
        }
        self.list
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_in_count_and_length() {
        let mut gaps = GapList::default();
        for i in 0..1000 {
            gaps.push(format!("gap {i} {}", "é".repeat(2000)));
        }
        let list = gaps.finish();
        assert_eq!(list.len(), MAX_GAPS + 1);
        assert!(list[0].chars().count() <= MAX_GAP_CHARS + 1);
        assert_eq!(list[MAX_GAPS], "and 980 more parts could not be read");
    }
}
