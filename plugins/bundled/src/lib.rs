//! The plugins bundled with recert, as WebAssembly components.
//!
//! `build.rs` compiles each bundled plugin crate for `wasm32-wasip2` while
//! this crate builds, and the components are embedded in the binary; no
//! `.wasm` file is kept in the repository. The host loads them like any other
//! plugin (compiled, sandboxed, pinned by digest in the report).

use std::fmt;

/// A plugin compiled into the recert binary.
#[derive(Clone, Copy)]
pub struct BundledPlugin {
    /// The plugin's id, as packs name it (`plugins: [{ id: battery-casing }]`).
    pub id: &'static str,
    /// The WebAssembly component.
    pub wasm: &'static [u8],
}

impl fmt::Debug for BundledPlugin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BundledPlugin")
            .field("id", &self.id)
            .field("wasm", &format_args!("<{} bytes>", self.wasm.len()))
            .finish()
    }
}

include!(concat!(env!("OUT_DIR"), "/bundled.rs"));

/// Every bundled plugin.
pub fn bundled() -> &'static [BundledPlugin] {
    BUNDLED
}

/// The bundled plugin with this id, if any.
pub fn get(id: &str) -> Option<&'static BundledPlugin> {
    BUNDLED.iter().find(|p| p.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn battery_casing_is_bundled_as_a_component() {
        let p = get("battery-casing").expect("bundled");
        // Component binary header: magic, then version 0x0d, layer 1.
        assert_eq!(
            &p.wasm[..8],
            &[0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]
        );
        assert!(p.wasm.len() > 50_000, "{} bytes", p.wasm.len());
        // It exports the versioned interface the host looks for.
        let export = b"recert:plugin/rules@1.0.0";
        assert!(p.wasm.windows(export.len()).any(|w| w == export));
        let ids: Vec<&str> = bundled().iter().map(|p| p.id).collect();
        assert_eq!(
            ids,
            ["battery-casing", "food-contact", "recycled-plastic-quality"]
        );
        assert!(get("nope").is_none());
        assert!(format!("{p:?}").contains("bytes>"));
    }

    #[test]
    fn food_contact_is_bundled_as_a_component() {
        let p = get("food-contact").expect("bundled");
        assert_eq!(
            &p.wasm[..8],
            &[0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]
        );
        let export = b"recert:plugin/rules@1.0.0";
        assert!(p.wasm.windows(export.len()).any(|w| w == export));
    }
}
