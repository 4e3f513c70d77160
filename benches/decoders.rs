//! Decoding time for hostile bodies: one XML element with many attributes (linear, or
//! refused early, never quadratic) and form keys nested very deep. Prints the time per
//! body; run with `cargo bench --bench decoders`.

use std::hint::black_box;
use std::time::Instant;

use gatecheck::wire::{form, xml};

/// A Braintree customer whose root element carries `n` attributes.
fn many_attributes(n: usize) -> String {
    let mut body = String::from("<customer");
    for i in 0..n {
        body.push_str(&format!(" a{i}=\"x\""));
    }
    body.push_str("><first-name>Ada</first-name></customer>");
    body
}

/// About 1 MB of elements with the most attributes allowed: the worst accepted case.
fn most_attributes_allowed() -> String {
    let attributes: String = (0..xml::MAX_ATTRIBUTES)
        .map(|i| format!(" a{i}=\"x\""))
        .collect();
    let element = format!("<c{attributes}/>");
    format!("<r>{}</r>", element.repeat(1_000_000 / element.len()))
}

/// `levels` nested elements each declaring `per_level` namespaces, then `leaves`
/// empty elements that each declare one more: every leaf copies all the namespaces in
/// scope.
fn many_namespaces(levels: usize, per_level: usize, leaves: usize) -> String {
    let mut body = String::new();
    for level in 0..levels {
        body.push_str("<e");
        for i in 0..per_level {
            body.push_str(&format!(" xmlns:n{level}x{i}=\"u\""));
        }
        body.push('>');
    }
    for leaf in 0..leaves {
        body.push_str(&format!("<l xmlns:q=\"u{leaf}\"/>"));
    }
    body.push_str(&"</e>".repeat(levels));
    body
}

/// A form body with one key nested `n` levels deep.
fn deep_key(n: usize) -> String {
    format!("a{}=1", "[b]".repeat(n))
}

fn main() {
    for n in [1_000, 10_000, 30_000, 100_000] {
        let body = many_attributes(n);
        let started = Instant::now();
        let outcome = black_box(xml::decode(black_box(&body)));
        println!(
            "xml, {n:>6} attributes ({:>7} bytes): {:>10.3?} ({})",
            body.len(),
            started.elapsed(),
            if outcome.is_ok() {
                "decoded"
            } else {
                "refused"
            }
        );
    }
    let body = most_attributes_allowed();
    let started = Instant::now();
    let outcome = black_box(xml::decode(black_box(&body)));
    println!(
        "xml, elements of {} attributes ({:>7} bytes): {:>10.3?} ({})",
        xml::MAX_ATTRIBUTES,
        body.len(),
        started.elapsed(),
        if outcome.is_ok() {
            "decoded"
        } else {
            "refused"
        }
    );
    for leaves in [100, 1_000] {
        let body = many_namespaces(100, 60, leaves);
        let started = Instant::now();
        let outcome = black_box(xml::decode(black_box(&body)));
        println!(
            "xml, 6,000 namespaces in scope of {leaves:>6} leaves ({:>7} bytes): {:>10.3?} ({})",
            body.len(),
            started.elapsed(),
            if outcome.is_ok() {
                "decoded"
            } else {
                "refused"
            }
        );
    }
    for n in [100, 1_000, 100_000] {
        let body = deep_key(n);
        let started = Instant::now();
        let outcome = black_box(form::try_decode(black_box(&body)));
        println!(
            "form, key {n:>6} levels deep ({:>7} bytes): {:>10.3?} ({})",
            body.len(),
            started.elapsed(),
            if outcome.is_ok() {
                "decoded"
            } else {
                "refused"
            }
        );
    }
}
