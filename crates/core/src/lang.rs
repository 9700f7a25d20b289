//! The two languages of reports and packs.

use serde::{Deserialize, Serialize};

/// The language a report is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Simplified Chinese.
    Zh,
}

impl Lang {
    /// `en` or `zh`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }
}

/// A text in both languages, as packs write titles and messages.
///
/// Read from a pack, the Chinese loses the spaces that YAML's line folding
/// (`>`) leaves where a line of Chinese was broken: see [`unfold_chinese`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(from = "RawText")]
pub struct Text {
    /// English.
    pub en: String,
    /// Simplified Chinese.
    pub zh: String,
}

/// [`Text`] as written.
#[derive(Deserialize)]
struct RawText {
    en: String,
    zh: String,
}

impl From<RawText> for Text {
    fn from(raw: RawText) -> Self {
        Text {
            en: raw.en,
            zh: unfold_chinese(&raw.zh),
        }
    }
}

/// `text` without the spaces a folded YAML text (`>`) puts where a line of
/// Chinese was broken: a space between two Chinese characters, or beside
/// full-width punctuation, goes (`一种 均质材料` → `一种均质材料`, `、 LMT`
/// → `、LMT`); a space between Chinese and Latin letters or digits stays
/// (`2025 年`), as the packs write it.
pub fn unfold_chinese(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let before = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
        let after = chars.get(i + 1).copied();
        if c == ' '
            && let (Some(before), Some(after)) = (before, after)
            && !before.is_whitespace()
            && !after.is_whitespace()
            && (is_wide_punctuation(before)
                || is_wide_punctuation(after)
                || (is_ideograph(before) && is_ideograph(after)))
        {
            continue;
        }
        out.push(c);
    }
    out
}

/// A CJK ideograph.
fn is_ideograph(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

/// Full-width punctuation: `，。、；：（）《》〔〕` and the like.
fn is_wide_punctuation(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}')
}

impl Text {
    /// A text with the given English and Chinese.
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> Self {
        Text {
            en: en.into(),
            zh: zh.into(),
        }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_chinese_loses_only_the_folds() {
        assert_eq!(unfold_chinese("一种 均质材料"), "一种均质材料");
        assert_eq!(unfold_chinese("电动汽车、 LMT 和"), "电动汽车、LMT 和");
        assert_eq!(
            unfold_chinese("200 mg/kg。 以 `pbde`"),
            "200 mg/kg。以 `pbde`"
        );
        assert_eq!(
            unfold_chinese("占比 （Σ 质量 × 比例）"),
            "占比（Σ 质量 × 比例）"
        );
        assert_eq!(unfold_chinese("自 2025 年 12 月"), "自 2025 年 12 月");
        assert_eq!(unfold_chinese("不得超过 {limit}。"), "不得超过 {limit}。");
        assert_eq!(unfold_chinese("两段\n\n第二段"), "两段\n\n第二段");
        assert_eq!(unfold_chinese(" 开头 "), " 开头 ");
    }

    #[test]
    fn a_pack_text_is_unfolded_as_it_is_read() {
        let text: Text =
            serde_saphyr::from_str("en: >-\n  One\n  line\nzh: >-\n  一行\n  文字\n").unwrap();
        assert_eq!(text.en, "One line");
        assert_eq!(text.zh, "一行文字");
    }
}
