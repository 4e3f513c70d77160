// The official Node client (`chargebee` on npm) against `gatecheck serve`.
//
// Each check is one flow of the Chargebee seed document (Update payment method for a
// customer) or the customer create and retrieve calls around it, including the
// `chargebee-request-origin-*` headers the Node client passes through.
"use strict";

const Chargebee = require("chargebee");
const { check, expect, equal, baseUrl, runChecks } = require("./harness");

const url = baseUrl();
// The client builds {protocol}://{site}{hostSuffix}:{port}/api/v2.
const [site, ...rest] = url.hostname.split(".");
const cb = new Chargebee({
  site,
  hostSuffix: `.${rest.join(".")}`,
  protocol: "http",
  port: Number(url.port),
  apiKey: "sandbox_api_key",
});

const newId = () => `cb-${Math.random().toString(36).slice(2, 12)}`;

async function newCustomer() {
  return (await cb.customer.create({ id: newId(), email: "ada@example.com" })).customer;
}

async function refused(call, code, param, status = 400) {
  try {
    await call();
  } catch (e) {
    equal([e.error_code, e.param, e.http_status_code], [code, param, status], "error");
    return;
  }
  throw new Error("the request was not refused");
}

check("customer: create and retrieve", async () => {
  const customer = await newCustomer();
  const found = (await cb.customer.retrieve(customer.id)).customer;
  equal([found.id, found.email], [customer.id, "ada@example.com"], "retrieved");
});

check("update payment method: card on the default gateway", async () => {
  const customer = await newCustomer();
  const result = await cb.customer.updatePaymentMethod(customer.id, {
    payment_method: { type: "card", reference_id: "cus_63MnDn0t6kfDW7/card_6WjCF20vT9WN1G" },
  });
  const pm = result.customer.payment_method;
  equal([pm.type, pm.gateway, pm.gateway_account_id, pm.status], ["card", "stripe", "gw_stripe", "valid"], "payment method");
  expect(result.card.last4.length === 4, "a card");
});

check("update payment method: each gateway's reference format", async () => {
  for (const [selector, account, reference, gatewayName] of [
    ["gateway", "braintree", "cus_63MnDn0t6kfDW7/card_6WjCF20vT9WN1G", "braintree"],
    ["gateway_account_id", "gw_braintree", "bt_customer_42", "braintree"],
    ["gateway_account_id", "gw_spreedly", "1rpKvP8zOUhj4Y9EDrIoIYQzzD5", "worldpay"],
    ["gateway", "authorize_net", "2384383/34834382", "authorize_net"],
  ]) {
    const customer = await newCustomer();
    const result = await cb.customer.updatePaymentMethod(customer.id, {
      payment_method: { type: "card", [selector]: account, reference_id: reference },
    });
    equal(result.customer.payment_method.gateway, gatewayName, reference);
  }
});

check("update payment method: PayPal, Amazon and direct debit", async () => {
  for (const pm of [
    { type: "paypal_express_checkout", reference_id: "B-5YM89394MX9271022" },
    { type: "amazon_payments", reference_id: "C01-1234567-1234567" },
    { type: "direct_debit", gateway: "gocardless", reference_id: "MD0077Z99TTQXK" },
    { type: "direct_debit", gateway: "stripe", tmp_token: "btok_1" },
  ]) {
    const customer = await newCustomer();
    const result = await cb.customer.updatePaymentMethod(customer.id, { payment_method: pm });
    equal(result.customer.payment_method.type, pm.type, pm.type);
  }
});

check("update payment method: issuing_country and the request-origin headers", async () => {
  const customer = await newCustomer();
  const result = await cb.customer.updatePaymentMethod(
    customer.id,
    { payment_method: { type: "card", reference_id: "cus_H1/card_H1", issuing_country: "GB" } },
    {
      "chargebee-request-origin-ip": "203.0.113.7",
      "chargebee-request-origin-user": "ada@example.com",
      "chargebee-request-origin-user-encoded": "YWRhQGV4YW1wbGUuY29t",
      "chargebee-request-origin-device": "iPhone 15",
      "chargebee-event-email": "all-disabled",
    }
  );
  equal(result.customer.payment_method.reference_id, "cus_H1/card_H1", "reference");
  await refused(
    () =>
      cb.customer.updatePaymentMethod(
        customer.id,
        { payment_method: { type: "card", reference_id: "cus_H1/card_H1" } },
        { "chargebee-request-origin-ip": "not an ip" }
      ),
    "param_invalid",
    "chargebee-request-origin-ip"
  );
});

check("update payment method: refusals are Chargebee's error documents", async () => {
  const customer = await newCustomer();
  await refused(
    () => cb.customer.updatePaymentMethod(customer.id, { payment_method: { type: "card", gateway: "stripe" } }),
    "param_blank",
    "payment_method[reference_id]"
  );
  await refused(
    () =>
      cb.customer.updatePaymentMethod(customer.id, {
        payment_method: { type: "card", reference_id: "cus_1/card_2", tmp_token: "tok_visa" },
      }),
    "param_not_required",
    "payment_method[tmp_token]"
  );
  try {
    await cb.customer.updatePaymentMethod("no-such-customer", { payment_method: { type: "card", reference_id: "cus_1" } });
  } catch (e) {
    equal(e.http_status_code, 404, "unknown customer");
    return;
  }
  throw new Error("an unknown customer was updated");
});

runChecks("chargebee (Node)");
