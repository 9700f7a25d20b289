//! A submission's text held compressed while it is not needed.
//!
//! A submission is evaluated from its loaded document; its text is needed
//! again only at the end, to find the lines that the fixes of missing
//! values name. For the largest submissions (16 MB of text) holding it
//! through the evaluation is a tenth of `recert check`'s peak memory, so
//! `check` holds it compressed ([LZ4](https://lz4.org): 16 MB becomes
//! 1.5 MB; 14 MB took about 8 ms to compress and 10 ms to come back) and
//! gives it back once. Unlike reading the file again, this
//! works for standard input too, and the text given back is the one that
//! was loaded, whatever happened to the file since.

use std::sync::Arc;

use recert_engine::load::Source;

/// A source whose text is held compressed.
pub struct CompressedSource {
    /// The source without its text.
    rest: Source,
    /// The text, LZ4 block format, its length first.
    text: Vec<u8>,
}

impl CompressedSource {
    /// Compresses `source`'s text.
    pub fn new(source: &Source) -> Self {
        CompressedSource {
            rest: Source {
                name: source.name.clone(),
                text: String::new(),
                format: source.format,
                sha256: source.sha256.clone(),
            },
            text: lz4_flex::block::compress_prepend_size(source.text.as_bytes()),
        }
    }

    /// The source with its text again; `None` only if what was compressed
    /// does not decompress to UTF-8, which a correct compressor never gives.
    pub fn source(&self) -> Option<Arc<Source>> {
        let bytes = lz4_flex::block::decompress_size_prepended(&self.text).ok()?;
        let text = String::from_utf8(bytes).ok()?;
        Some(Arc::new(Source {
            text,
            ..self.rest.clone()
        }))
    }

    /// The bytes held.
    #[cfg(test)]
    fn held(&self) -> usize {
        self.text.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use recert_engine::load::Format;

    #[test]
    fn gives_back_the_source_as_it_was_and_holds_less() {
        let component = r#"{"id": "c1", "mass": "1.5 kg", "material": {"class": "plastic"}}"#;
        let text = format!("[{}]", vec![component; 2_000].join(",\n"));
        let source = Source::from_text("<stdin>", text.as_str(), Format::Json);
        let compressed = CompressedSource::new(&source);
        assert!(
            compressed.held() * 10 < text.len(),
            "{} bytes held for {}",
            compressed.held(),
            text.len()
        );
        assert_eq!(compressed.source().as_deref(), Some(&source));
    }
}
