//! A definition's `regex_pattern`, tried with the browser's own `RegExp` (as Chatwoot's
//! dashboard does). A pattern the browser cannot compile checks nothing here: the
//! server has the last word, and a bad pattern must never break the card.

use wasm_bindgen::{JsCast, JsValue};

/// Whether `text` matches `pattern` anywhere (`RegExp.test`); `None` when the pattern
/// does not compile, with the `u` flag or without.
pub fn browser_matches(pattern: &str, text: &str) -> Option<bool> {
    let constructor: js_sys::Function =
        js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("RegExp"))
            .ok()?
            .dyn_into()
            .ok()?;
    ["u", ""].into_iter().find_map(|flags| {
        let args = js_sys::Array::of2(&JsValue::from_str(pattern), &JsValue::from_str(flags));
        // `Reflect.construct` hands a SyntaxError back instead of throwing it through.
        js_sys::Reflect::construct(&constructor, &args)
            .ok()
            .map(|regexp| regexp.unchecked_into::<js_sys::RegExp>().test(text))
    })
}
