// The official Node client (`chargebee` on npm) against `gatecheck serve`.
//
// Each check is one flow of the Chargebee seed document (Update payment method for a
// customer) or the customer create, retrieve and list calls around it, including the
// `chargebee-request-origin-*` headers the Node client passes through. The flows that
// send lists and JSON-typed parameters `record()` what they were answered; `run` checks
// that the Python client (chargebee_flows.py) was told the same.
"use strict";

const Chargebee = require("chargebee");
const { check, expect, equal, record, baseUrl, runChecks } = require("./harness");

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
    return { error_code: e.error_code, param: e.param, message: e.message };
  }
  throw new Error("the request was not refused");
}

// What the list and JSON flows send; chargebee_flows.py sends the same values.
const META_DATA = { plan: { tier: "gold", seats: 3 }, flags: [true, null, "x"], note: 'it\'s "quoted"' };
const EXEMPTIONS = [{ tax_level: "state", location: "CA" }, { tax_level: "federal" }];
const IDENTIFIERS = [
  { scheme: "0088", value: "5790000435944" },
  { id: "ei-2", scheme: "0192", value: "987654321", standard: "iso6523-actorid-upis" },
];
const TAX_FIELDS = [{ provider_name: "avalara", field_id: "entity_code", field_value: "G" }];

// The JSON-typed and list fields of a customer, as plain data (a made-up id shown as such).
function shown(customer) {
  return {
    meta_data: customer.meta_data,
    exemption_details: customer.exemption_details,
    entity_identifiers: (customer.entity_identifiers || []).map((item) => ({
      ...item,
      id: item.id === "ei-2" ? item.id : "made up",
    })),
    tax_providers_fields: customer.tax_providers_fields,
  };
}

const ids = (result, prefix) => result.list.map((entry) => entry.customer.id.slice(prefix.length));

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

check("customer create: meta_data, exemption_details, entity_identifiers, tax_providers_fields", async () => {
  const created = (
    await cb.customer.create({
      id: newId(),
      meta_data: META_DATA,
      exemption_details: EXEMPTIONS,
      entity_identifiers: IDENTIFIERS,
      tax_providers_fields: TAX_FIELDS,
    })
  ).customer;
  const found = (await cb.customer.retrieve(created.id)).customer;
  equal(shown(found), shown(created), "retrieved as created");
  const answer = shown(found);
  equal(answer.meta_data, META_DATA, "meta_data");
  equal(answer.exemption_details, EXEMPTIONS, "exemption_details");
  equal(answer.entity_identifiers.map((i) => i.scheme), ["0088", "0192"], "entity identifier schemes");
  equal(found.entity_identifiers[1].standard, "iso6523-actorid-upis", "standard");
  expect(found.entity_identifiers[0].id, "an id is made up for the first identifier");
  record("customer create: JSON and list fields", answer);
});

check("customer create: one exemption, and list items checked one by one", async () => {
  const created = (await cb.customer.create({ exemption_details: [{ tax_level: "county" }] })).customer;
  const one = created.exemption_details;
  equal(one, [{ tax_level: "county" }], "a list of one");
  const badItem = await refused(
    () => cb.customer.create({ entity_identifiers: [{ scheme: "0088", value: "1" }, { value: "2" }] }),
    "param_blank",
    "entity_identifiers[scheme][1]"
  );
  const badMeta = await refused(() => cb.customer.create({ meta_data: ["not", "an", "object"] }), "param_invalid", "meta_data");
  record("customer create: list item errors", { "one exemption": one, "item 1 without scheme": badItem, "meta_data a list": badMeta });
});

check("update payment method: additional_information is a JSON object", async () => {
  const customer = await newCustomer();
  const result = await cb.customer.updatePaymentMethod(customer.id, {
    payment_method: {
      type: "card",
      gateway: "braintree",
      reference_id: "cus_AI/card_AI",
      additional_information: { fraud: { device_session_id: "dev-1", fraud_merchant_id: "m-1" }, retry: true },
    },
  });
  equal(result.customer.payment_method.reference_id, "cus_AI/card_AI", "reference");
  const error = await refused(
    () =>
      cb.customer.updatePaymentMethod(customer.id, {
        payment_method: { type: "card", reference_id: "cus_AI", additional_information: ["a"] },
      }),
    "param_invalid",
    "payment_method[additional_information]"
  );
  record("update payment method: additional_information", { accepted: result.customer.payment_method.type, "a list": error });
});

check("list customers: filter lists (in, not_in, between), sort and pages", async () => {
  const prefix = `ls-${Math.random().toString(36).slice(2, 10)}-`;
  const before = Math.floor(Date.now() / 1000) - 5;
  for (const [n, collection] of [["a", "on"], ["b", "off"], ["c", "on"]]) {
    await cb.customer.create({ id: prefix + n, auto_collection: collection, company: prefix });
  }
  const after = Math.floor(Date.now() / 1000) + 5;
  // One operator per field: this client (3.33) sends two operators on one field as
  // id[starts_with]=…&id[starts_with][not_in]=…, which no gateway can read.
  const mine = () => ({ company: { is: prefix } });
  const list = async (params) => ids(await cb.customer.list(params), prefix);
  const answers = {
    in: await list({ id: { in: [prefix + "c", prefix + "a"] } }),
    starts_with: await list({ id: { starts_with: prefix } }),
    not_in: await list({ ...mine(), id: { not_in: [prefix + "b"] } }),
    "auto_collection in": await list({ ...mine(), auto_collection: { in: ["off"] } }),
    between: await list({ ...mine(), created_at: { between: [before, after] } }),
    outside: await list({ ...mine(), created_at: { between: [1, 2] } }),
    desc: await list({ ...mine(), sort_by: { desc: "created_at" } }),
  };
  const page1 = await cb.customer.list({ ...mine(), limit: 2 });
  expect(page1.next_offset, "a next_offset after a full page");
  const page2 = await cb.customer.list({ ...mine(), limit: 2, offset: page1.next_offset });
  answers.pages = [ids(page1, prefix), ids(page2, prefix), page2.next_offset === undefined ? null : page2.next_offset];
  equal(answers.in, ["a", "c"], "id[in]");
  equal(answers.not_in, ["a", "c"], "id[not_in]");
  equal(answers["auto_collection in"], ["b"], "auto_collection[in]");
  equal(answers.between, ["a", "b", "c"], "created_at[between]");
  equal(answers.outside, [], "created_at[between] elsewhere");
  equal(answers.desc, ["c", "b", "a"], "sort_by[desc]");
  equal(answers.pages, [["a", "b"], ["c"], null], "pages");
  answers["bad operator"] = await refused(
    () => cb.customer.list({ email: { in: ["a@example.com"] } }),
    "param_invalid",
    "email[in]"
  );
  record("list customers", answers);
});

runChecks("chargebee (Node)");
