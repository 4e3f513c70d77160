//! A step that waits for a webhook: select it among the run's deliveries, check it,
//! capture from it and snapshot it like an answer.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde_json::Value;

use super::context::RunContext;
use super::evaluate::{capture, check_json};
use super::failure::{Failure, FailureKind};
use super::outcome::{Observation, StepOutcome, StepStatus, WebhookRecord};
use super::scenario::ScenarioRun;
use crate::mask::HeaderList;
use crate::snapshot::{Entry, object};
use crate::spec::matcher::show;
use crate::spec::model::{DEFAULT_WEBHOOK_WAIT, ExpectWebhook, SignatureExpect, Step};
use crate::webhook::Delivery;
use crate::yaml::{Span, Spanned};

/// Most deliveries listed when none was the one awaited.
const LISTED: usize = 10;
/// Most characters of a delivery's body shown in that list.
const PREVIEW: usize = 300;

/// Which webhooks a scenario may still take: those that arrived after it started,
/// less those its earlier steps took.
#[derive(Debug, Default)]
pub(super) struct Cursor {
    from: usize,
    taken: BTreeSet<usize>,
}

impl Cursor {
    /// A cursor at the inbox's current end: what arrived before cannot be this
    /// scenario's.
    pub(super) fn start(ctx: &RunContext) -> Cursor {
        Cursor {
            from: ctx.webhooks.as_ref().map_or(0, |inbox| inbox.len()),
            taken: BTreeSet::new(),
        }
    }
}

impl ScenarioRun<'_> {
    pub(super) async fn webhook_step(
        &mut self,
        step: &Spanned<Step>,
        expect: &ExpectWebhook,
        index: usize,
        out: &mut StepOutcome,
    ) {
        let ctx = self.ctx;
        let Some(inbox) = ctx.webhooks.clone() else {
            return self.fail(
                out,
                step.span,
                FailureKind::Other {
                    message:
                        "no webhook receiver is running for this run, so no webhook can be awaited"
                            .into(),
                },
            );
        };
        let kind = match expect
            .kind
            .as_ref()
            .map(|t| t.render(&self.vars))
            .transpose()
        {
            Ok(kind) => kind,
            Err(e) => {
                return self.fail(
                    out,
                    step.span,
                    FailureKind::Template {
                        what: "expect_webhook.type".into(),
                        message: e.to_string(),
                    },
                );
            }
        };
        let within = expect.within.unwrap_or(DEFAULT_WEBHOOK_WAIT);
        let vars = &self.vars;
        let taken = &self.webhooks.taken;
        let found = inbox
            .wait_for(self.webhooks.from, within, |d| {
                !taken.contains(&d.seq) && self.selects(expect, kind.as_deref(), d, vars)
            })
            .await;
        let Some(delivery) = found else {
            let why = self.nothing_arrived(
                expect,
                kind.as_deref(),
                within,
                &inbox.since(self.webhooks.from),
            );
            out.settle(
                &ctx.masker,
                &self.file.source,
                vec![Failure::new(step.span, why)],
            );
            return;
        };
        self.webhooks.taken.insert(delivery.seq);
        out.webhook = Some(ctx.masker.mask(WebhookRecord {
            seq: delivery.seq,
            url: delivery.url.clone(),
            headers: HeaderList(delivery.headers.clone()),
            body: delivery.body.clone(),
        }));
        let mut failures = check_json(&expect.json, &delivery.body, &self.vars);
        failures.extend(self.signature_failure(step.span, expect, &delivery));
        if failures.is_empty() {
            failures = capture(
                &step.capture,
                &delivery.body,
                &delivery.headers,
                &mut self.vars,
            );
        }
        self.observe(out, || Observation {
            status: None,
            body: delivery.body.clone(),
            headers: Vec::new(),
        });
        if !out.settle(&ctx.masker, &self.file.source, failures) {
            return;
        }
        let kind = self.type_of(&delivery);
        self.snapshot(step, index, |run, key| Entry::Normalized {
            key,
            entry: object([(
                "webhook",
                object([
                    ("type", kind),
                    ("body", run.normalize(delivery.body.clone())),
                ]),
            )]),
        });
        out.status = StepStatus::Passed;
    }

    /// The delivery's type, where the API profile says webhooks name it.
    fn type_of(&self, delivery: &Delivery) -> Value {
        self.ctx
            .api
            .webhook_type
            .query(&delivery.body)
            .first()
            .map_or(Value::Null, |v| (*v).clone())
    }

    /// Whether `delivery` is the one a step waits for: its type, then `match`.
    fn selects(
        &self,
        expect: &ExpectWebhook,
        kind: Option<&str>,
        delivery: &Delivery,
        vars: &dyn crate::spec::template::Lookup,
    ) -> bool {
        if let Some(kind) = kind
            && self.type_of(delivery).as_str() != Some(kind)
        {
            return false;
        }
        check_json(&expect.select, &delivery.body, vars).is_empty()
    }

    fn signature_failure(
        &self,
        at: Span,
        expect: &ExpectWebhook,
        delivery: &Delivery,
    ) -> Option<Failure> {
        let wanted = expect.signature?;
        let verdict =
            self.ctx
                .api
                .auth
                .verify_webhook(&delivery.url, &delivery.headers, &delivery.raw);
        let message = match (wanted, verdict) {
            (_, None) => {
                "signature: this target's auth scheme cannot verify webhook signatures".into()
            }
            (SignatureExpect::Valid, Some(Err(why))) => format!("signature: {why}"),
            (SignatureExpect::Invalid, Some(Ok(()))) => {
                "signature: expected an invalid signature, but it is valid".into()
            }
            _ => return None,
        };
        Some(Failure::new(at, FailureKind::WebhookSignature { message }))
    }

    /// Why the wait failed, and what did arrive meanwhile (masked by the caller).
    fn nothing_arrived(
        &self,
        expect: &ExpectWebhook,
        kind: Option<&str>,
        within: std::time::Duration,
        arrived: &[Arc<Delivery>],
    ) -> FailureKind {
        let what = kind.map_or_else(|| "webhook".to_string(), |k| format!("{k} webhook"));
        let selected: Vec<String> = expect
            .select
            .iter()
            .map(|(path, m)| {
                let each: Vec<String> = m.0.iter().map(ToString::to_string).collect();
                format!("{path} {}", each.join(" and "))
            })
            .collect();
        let matching = if selected.is_empty() {
            String::new()
        } else {
            format!(" with {}", selected.join(", "))
        };
        let summary = format!(
            "no {what}{matching} arrived within {}; {} webhook(s) arrived since the scenario started{}",
            humantime(within),
            arrived.len(),
            if arrived.is_empty() { "" } else { ":" }
        );
        let mut out = Vec::new();
        let skip = arrived.len().saturating_sub(LISTED);
        if skip > 0 {
            out.push(format!("… {skip} earlier one(s) not listed"));
        }
        for d in &arrived[skip..] {
            let mut body = d.body.clone();
            self.ctx.masker.value(&mut body);
            let full = show(&body);
            let mut preview: String = full.chars().take(PREVIEW).collect();
            if preview.len() < full.len() {
                preview.push('…');
            }
            let note = if self.webhooks.taken.contains(&d.seq) {
                " (taken by an earlier step)"
            } else {
                ""
            };
            out.push(format!(
                "arrived #{}: {} {} type {}{note}: {preview}",
                d.seq,
                d.method,
                d.path,
                show(&self.type_of(d))
            ));
        }
        FailureKind::WebhookMissing {
            summary,
            arrived: out,
        }
    }
}

/// `5s`, `250ms`: how `within` is written.
fn humantime(d: std::time::Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{}s", d.as_secs())
    } else {
        format!("{}ms", d.as_millis())
    }
}
