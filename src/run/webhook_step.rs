//! A step that waits for a webhook: select it among the run's deliveries, check it,
//! capture from it and snapshot it like an answer.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde_json::Value;

use super::outcome::{StepOutcome, StepStatus, WebhookRecord};
use super::scenario::{RunContext, ScenarioRun, capture, check_json};
use crate::spec::matcher::show;
use crate::spec::model::{DEFAULT_WEBHOOK_WAIT, ExpectWebhook, SignatureExpect, Step};
use crate::webhook::Delivery;

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
        step: &Step,
        expect: &ExpectWebhook,
        index: usize,
        out: &mut StepOutcome,
    ) {
        let ctx = self.ctx;
        let Some(inbox) = ctx.webhooks.clone() else {
            return self.fail(
                out,
                "no webhook receiver is running for this run, so no webhook can be awaited",
            );
        };
        let kind = match expect
            .kind
            .as_ref()
            .map(|t| t.render(&self.vars))
            .transpose()
        {
            Ok(kind) => kind,
            Err(e) => return self.fail(out, &format!("expect_webhook.type: {e}")),
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
            self.settle(out, why);
            return;
        };
        self.webhooks.taken.insert(delivery.seq);
        let mut shown = delivery.body.clone();
        ctx.masker.value(&mut shown);
        out.webhook = Some(WebhookRecord {
            seq: delivery.seq,
            url: ctx.masker.text(&delivery.url),
            headers: delivery
                .headers
                .iter()
                .map(|(n, v)| (n.clone(), ctx.masker.header(n, v)))
                .collect(),
            body: shown,
        });
        let mut failures = check_json(&expect.json, &delivery.body, &self.vars);
        failures.extend(self.signature_failure(expect, &delivery));
        if failures.is_empty() {
            failures = capture(
                &step.capture,
                &delivery.body,
                &delivery.headers,
                &mut self.vars,
            );
        }
        if !self.settle(out, failures) {
            return;
        }
        let kind = self.type_of(&delivery);
        self.snapshot(
            step,
            index,
            delivery.body.clone(),
            |body| serde_json::json!({ "webhook": { "type": kind, "body": body } }),
        );
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

    fn signature_failure(&self, expect: &ExpectWebhook, delivery: &Delivery) -> Option<String> {
        let wanted = expect.signature?;
        let verdict =
            self.ctx
                .api
                .auth
                .verify_webhook(&delivery.url, &delivery.headers, &delivery.raw);
        match (wanted, verdict) {
            (_, None) => {
                Some("signature: this target's auth scheme cannot verify webhook signatures".into())
            }
            (SignatureExpect::Valid, Some(Err(why))) => Some(format!("signature: {why}")),
            (SignatureExpect::Invalid, Some(Ok(()))) => {
                Some("signature: expected an invalid signature, but it is valid".into())
            }
            _ => None,
        }
    }

    /// Why the wait failed, and what did arrive meanwhile (masked by the caller).
    fn nothing_arrived(
        &self,
        expect: &ExpectWebhook,
        kind: Option<&str>,
        within: std::time::Duration,
        arrived: &[Arc<Delivery>],
    ) -> Vec<String> {
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
        let mut out = vec![format!(
            "no {what}{matching} arrived within {}; {} webhook(s) arrived since the scenario started{}",
            humantime(within),
            arrived.len(),
            if arrived.is_empty() { "" } else { ":" }
        )];
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
        out
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
