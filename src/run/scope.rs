//! The variable scopes of `- use:`s as a scenario's steps run: entering a use gives
//! its fixture's steps the values the use passes (else the fixture's defaults) and
//! hides the scenario's own variables; leaving it makes what they captured visible to
//! the steps after the `use:`. `spec::load::check_vars` checks the same scopes.

use std::sync::Arc;

use super::failure::{Failure, FailureKind};
use super::vars::{Scope, Vars};
use crate::spec::include::{Inclusion, transition};

/// The uses the current step is inside, outermost first, each with the scope it hid.
#[derive(Debug, Default)]
pub(super) struct Scopes {
    open: Vec<(Arc<Inclusion>, Scope)>,
}

impl Scopes {
    /// Moves `vars` to the scope of a step inside `next` (none: the scenario's own
    /// steps). A value of a use that cannot be made is a failure located where it is
    /// written; `source` is the scenario's text.
    pub(super) fn enter(
        &mut self,
        next: Option<&Arc<Inclusion>>,
        vars: &mut Vars,
        source: &str,
    ) -> Result<(), Box<Failure>> {
        let frames: Vec<Arc<Inclusion>> = self.open.iter().map(|(f, _)| Arc::clone(f)).collect();
        let moving = transition(&frames, next);
        while self.open.len() > moving.keep {
            if let Some((frame, outer)) = self.open.pop() {
                vars.close(outer, |name| frame.is_param(name));
            }
        }
        for frame in moving.enter {
            // What the use gives is made in the including file's scope.
            let mut given = Vec::with_capacity(frame.args.len());
            for (name, template) in &frame.args {
                match template.render(vars) {
                    Ok(value) => given.push((name.value.clone(), value)),
                    Err(e) => {
                        let at = frame.arg_node(name).map_or(name.span, |n| n.span);
                        let including = frame.parent.as_ref().map(|p| &p.origin);
                        return Err(Box::new(
                            Failure::new(
                                at,
                                FailureKind::Template {
                                    what: format!("variable `{}` of the `use:`", name.value),
                                    message: e.to_string(),
                                },
                            )
                            .located(including, source),
                        ));
                    }
                }
            }
            let outer = vars.open();
            self.open.push((Arc::clone(&frame), outer));
            for (name, value) in given {
                vars.set(&name, value);
            }
            for (name, default) in &frame.params {
                let Some(default) = default else { continue };
                if frame.args.keys().any(|k| k.value == *name) {
                    continue;
                }
                match default.render(vars) {
                    Ok(value) => vars.set(name, value),
                    Err(e) => {
                        let at = frame.default_node(name).map_or(frame.node.span, |n| n.span);
                        return Err(Box::new(
                            Failure::new(
                                at,
                                FailureKind::Template {
                                    what: format!("fixture variable `{name}`"),
                                    message: e.to_string(),
                                },
                            )
                            .located(Some(&frame.origin), source),
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}
