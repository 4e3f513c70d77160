// The official Node client (`braintree` on npm) against `gatecheck serve`. It sends
// JSON bodies (snake_case keys, native booleans, numbers and nulls) and reads XML.
//
// Each check is one flow of the Braintree seed documents (Customer: Update, Updating
// Customers, Payment Method: Update) or one of the calls a user makes around them:
// create, find and delete customers, payment methods, credit cards, PayPal accounts and
// addresses, and a client token turned into a nonce the way the Drop-in does it.
"use strict";

const braintree = require("braintree");
const { check, expect, equal, baseUrl, runChecks } = require("./harness");

const url = baseUrl();
const gateway = new braintree.BraintreeGateway({
  environment: new braintree.Environment(url.hostname, url.port, "", false),
  merchantId: "sandbox_merchant",
  publicKey: "sandbox_public",
  privateKey: "sandbox_private",
});

const newId = (prefix) => `${prefix}-${Math.random().toString(36).slice(2, 12)}`;

function success(result, what) {
  if (!result.success) {
    throw new Error(`${what} failed: ${result.message}`);
  }
  return result;
}

function codes(result) {
  expect(!result.success, "expected an error result");
  return result.errors.deepErrors().map((e) => e.code).sort();
}

async function notFound(call, what) {
  try {
    await call();
  } catch (e) {
    equal(e.type, "notFoundError", what);
    return;
  }
  throw new Error(`${what}: no notFoundError`);
}

async function customerWithCard(number = "4111111111111111", card = {}) {
  const result = await gateway.customer.create({
    id: newId("c"),
    firstName: "Ada",
    creditCard: {
      number,
      expirationDate: "05/2030",
      billingAddress: { streetAddress: "1 Old St", postalCode: "60606" },
      ...card,
    },
  });
  return success(result, "customer create").customer;
}

check("customer: create, find and delete", async () => {
  const customer = await customerWithCard("4111111111111111", { cvv: "123" });
  const card = customer.creditCards[0];
  equal([card.bin, card.last4, card.cardType], ["411111", "1111", "Visa"], "card");
  expect(customer.graphQLId, "customer graphQLId (global_id)");
  expect(card.graphQLId, "card graphQLId");
  equal(card.maskedNumber, "411111******1111", "masked number computed by the client");
  const found = await gateway.customer.find(customer.id);
  equal(found.addresses[0].streetAddress, "1 Old St", "address");
  await gateway.customer.delete(customer.id);
  await notFound(() => gateway.customer.find(customer.id), "deleted customer");
});

check("customer update: only the customer", async () => {
  const customer = await customerWithCard();
  const result = success(
    await gateway.customer.update(customer.id, { firstName: "New First Name", lastName: "New Last Name" }),
    "update"
  );
  equal([result.customer.firstName, result.customer.lastName], ["New First Name", "New Last Name"], "names");
  const cleared = success(await gateway.customer.update(customer.id, { lastName: null }), "clear");
  equal(cleared.customer.lastName, null, "null clears a field");
});

check("customer update: the existing credit card by token, with verify_card", async () => {
  const customer = await customerWithCard();
  const token = (await gateway.customer.find(customer.id)).creditCards[0].token;
  const result = success(
    await gateway.customer.update(customer.id, {
      email: "new.email@example.com",
      creditCard: {
        number: "5555555555554444",
        expirationMonth: 8,
        expirationYear: 2031,
        options: { updateExistingToken: token, verifyCard: true, verificationAmount: 1.5 },
      },
    }),
    "update"
  );
  const cards = result.customer.creditCards;
  equal(cards.map((c) => [c.token, c.last4]), [[token, "4444"]], "one updated card");
  equal(cards[0].verifications[0].amount, "1.50", "verification amount from a JSON number");
  const declined = await gateway.customer.update(customer.id, {
    creditCard: {
      number: "5105105105105100",
      expirationDate: "08/2031",
      options: { updateExistingToken: token, verifyCard: true },
    },
  });
  expect(!declined.success, "a declining card fails the update");
  equal(declined.verification.status, "processor_declined", "verification");
});

check("customer update: a card without update_existing_token adds a second card", async () => {
  const customer = await customerWithCard();
  const result = success(
    await gateway.customer.update(customer.id, {
      creditCard: { number: "5105105105105100", expirationDate: "11/2031" },
    }),
    "update"
  );
  equal(result.customer.creditCards.length, 2, "two cards");
});

check("customer update: card and billing address with update_existing", async () => {
  const customer = await customerWithCard();
  const token = customer.creditCards[0].token;
  const result = success(
    await gateway.customer.update(customer.id, {
      email: "new.email@example.com",
      creditCard: {
        cardholderName: "New Cardholder Name",
        number: "5555555555554444",
        expirationDate: "08/2031",
        options: { updateExistingToken: token },
        billingAddress: {
          streetAddress: "New Street Address",
          postalCode: "60622",
          options: { updateExisting: true },
        },
      },
    }),
    "update"
  );
  const card = result.customer.creditCards[0];
  equal(card.billingAddress.id, customer.addresses[0].id, "same address");
  equal(card.billingAddress.streetAddress, "New Street Address", "street");
  equal(result.customer.addresses.length, 1, "no new address");
});

check("customer update: billing address without update_existing adds an address", async () => {
  const customer = await customerWithCard();
  const result = success(
    await gateway.customer.update(customer.id, {
      creditCard: {
        options: { updateExistingToken: customer.creditCards[0].token },
        billingAddress: { streetAddress: "2 New Rd" },
      },
    }),
    "update"
  );
  equal(result.customer.addresses.length, 2, "two addresses");
});

check("customer update: payment_method_nonce of any type, nonce beside update_existing_token", async () => {
  const customer = await customerWithCard();
  let result = success(
    await gateway.customer.update(customer.id, {
      paymentMethodNonce: "fake-paypal-future-nonce",
      email: "new.email@example.com",
    }),
    "PayPal nonce"
  );
  equal(result.customer.paypalAccounts.length, 1, "PayPal account");
  result = success(
    await gateway.customer.update(customer.id, {
      paymentMethodNonce: "fake-valid-mastercard-nonce",
      creditCard: { options: { updateExistingToken: customer.creditCards[0].token } },
    }),
    "card nonce"
  );
  equal(result.customer.creditCards.map((c) => c.cardType), ["MasterCard"], "updated from the nonce");
});

check("customer update: default_payment_method_token and validation errors", async () => {
  const customer = await customerWithCard();
  const venmo = success(
    await gateway.customer.update(customer.id, { paymentMethodNonce: "fake-venmo-account-nonce" }),
    "venmo"
  ).customer.venmoAccounts[0];
  const result = success(
    await gateway.customer.update(customer.id, { defaultPaymentMethodToken: venmo.token }),
    "default"
  );
  equal(result.customer.venmoAccounts[0].default, true, "default");
  const bad = await gateway.customer.update(customer.id, { email: "not-an-email", customFields: { nope: "x" } });
  equal(codes(bad), ["81604", "91602"], "codes");
});

check("payment method update: billing address in place, new, by id; make_default", async () => {
  const customer = await customerWithCard();
  const token = customer.creditCards[0].token;
  let result = success(
    await gateway.paymentMethod.update(token, {
      billingAddress: { streetAddress: "100 Maple Lane", options: { updateExisting: true } },
    }),
    "in place"
  );
  equal(result.paymentMethod.billingAddress.id, customer.addresses[0].id, "same address");
  result = success(
    await gateway.paymentMethod.update(token, {
      billingAddress: { streetAddress: "1 E Main St", extendedAddress: "Suite 3", locality: "Chicago", region: "IL", postalCode: "60622" },
    }),
    "new"
  );
  expect(result.paymentMethod.billingAddress.id !== customer.addresses[0].id, "a new address");
  result = success(
    await gateway.paymentMethod.update(token, {
      billingAddressId: customer.addresses[0].id,
      options: { makeDefault: true },
    }),
    "by id"
  );
  equal(result.paymentMethod.billingAddress.id, customer.addresses[0].id, "linked");
  equal(result.paymentMethod.default, true, "default");
});

check("payment method update: nonce with verify_card; unknown token; customer's nonce (91735)", async () => {
  const customer = await customerWithCard();
  const token = customer.creditCards[0].token;
  const result = success(
    await gateway.paymentMethod.update(token, {
      paymentMethodNonce: "fake-valid-mastercard-nonce",
      options: { verifyCard: true, verificationAmount: "1.00" },
    }),
    "verify"
  );
  equal(result.paymentMethod.cardType, "MasterCard", "card from the nonce");
  await notFound(() => gateway.paymentMethod.update("no-such-token", { options: { makeDefault: true } }), "unknown token");
  const nonce = success(await gateway.paymentMethodNonce.create(token), "nonce").paymentMethodNonce.nonce;
  equal(codes(await gateway.paymentMethod.update(token, { paymentMethodNonce: nonce })), ["91735"], "tied nonce");
});

check("paypal account: update the token, find, delete; typed paths answer by type", async () => {
  const customer = await customerWithCard();
  const paypal = success(
    await gateway.paymentMethod.create({ customerId: customer.id, paymentMethodNonce: "fake-paypal-billing-agreement-nonce" }),
    "create"
  ).paymentMethod;
  expect(paypal instanceof braintree.PayPalAccount, "a PayPal account");
  const newToken = newId("pp");
  const result = success(await gateway.paypalAccount.update(paypal.token, { token: newToken }), "update");
  equal(result.paypalAccount.token, newToken, "renamed");
  equal((await gateway.paypalAccount.find(newToken)).email, "jane.doe@example.com", "found");
  await notFound(() => gateway.creditCard.find(newToken), "card path for a PayPal token");
  await notFound(() => gateway.paypalAccount.find(customer.creditCards[0].token), "PayPal path for a card token");
  await gateway.paypalAccount.delete(newToken);
  await notFound(() => gateway.paymentMethod.find(newToken), "deleted");
});

check("payment method: create from nonces and card details, with options", async () => {
  const customer = await customerWithCard();
  for (const [nonce, kind] of [
    ["fake-valid-visa-nonce", braintree.CreditCard],
    ["fake-apple-pay-amex-nonce", braintree.ApplePayCard],
    ["fake-android-pay-visa-nonce", braintree.AndroidPayCard],
    ["fake-venmo-account-nonce", braintree.VenmoAccount],
    ["fake-paypal-future-nonce", braintree.PayPalAccount],
  ]) {
    const result = success(await gateway.paymentMethod.create({ customerId: customer.id, paymentMethodNonce: nonce }), nonce);
    expect(result.paymentMethod instanceof kind, `${nonce} gives ${kind.name}`);
  }
  const token = newId("t");
  const result = success(
    await gateway.paymentMethod.create({
      customerId: customer.id,
      paymentMethodNonce: "fake-valid-discover-nonce",
      token,
      billingAddress: { streetAddress: "5 New St" },
      options: { makeDefault: true, verifyCard: true, verificationMerchantAccountId: "sandbox_eur_merchant_account" },
    }),
    "create with options"
  );
  equal([result.paymentMethod.token, result.paymentMethod.default], [token, true], "card");
  const again = await gateway.paymentMethod.create({
    customerId: customer.id,
    paymentMethodNonce: "fake-valid-discover-nonce",
    options: { failOnDuplicatePaymentMethodForCustomer: true },
  });
  equal(codes(again), ["81763"], "duplicate");
  equal(codes(await gateway.paymentMethod.create({ customerId: customer.id, paymentMethodNonce: "nope" })), ["93108"], "unknown nonce");
  await gateway.paymentMethod.delete(token);
  await notFound(() => gateway.paymentMethod.find(token), "deleted");
});

check("credit card: create, find, update, delete", async () => {
  const customer = success(await gateway.customer.create({}), "customer").customer;
  const card = success(
    await gateway.creditCard.create({
      customerId: customer.id,
      number: "4111111111111111",
      expirationDate: "05/2030",
      cvv: "123",
      billingAddress: { postalCode: "60606" },
    }),
    "create"
  ).creditCard;
  for (const attribute of ["prepaid", "debit", "commercial", "business", "consumer", "corporate", "purchase", "prepaidReloadable"]) {
    expect(attribute in card, `card has ${attribute}`);
  }
  equal((await gateway.creditCard.find(card.token)).bin, "411111", "found");
  const updated = success(await gateway.creditCard.update(card.token, { expirationDate: "06/2032" }), "update");
  equal(updated.creditCard.expirationYear, "2032", "updated");
  await gateway.creditCard.delete(card.token);
  await notFound(() => gateway.creditCard.find(card.token), "deleted");
});

check("address: create, find, update, delete", async () => {
  const customer = success(await gateway.customer.create({}), "customer").customer;
  const address = success(
    await gateway.address.create({ customerId: customer.id, streetAddress: "9 Other Rd" }),
    "create"
  ).address;
  equal((await gateway.address.find(customer.id, address.id)).streetAddress, "9 Other Rd", "found");
  const result = success(await gateway.address.update(customer.id, address.id, { locality: "Chicago" }), "update");
  equal([result.address.streetAddress, result.address.locality], ["9 Other Rd", "Chicago"], "updated");
  await gateway.address.delete(customer.id, address.id);
  await notFound(() => gateway.address.find(customer.id, address.id), "deleted");
});

async function tokenize(clientToken, creditCard) {
  // What the Drop-in does in a browser: the client API, authorized by the token.
  const decoded = JSON.parse(Buffer.from(clientToken, "base64").toString("utf8"));
  const response = await fetch(`${decoded.clientApiUrl}/v1/payment_methods/credit_cards`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ authorizationFingerprint: decoded.authorizationFingerprint, creditCard }),
  });
  equal(response.status, 201, "tokenize status");
  return (await response.json()).creditCards[0].nonce;
}

check("client token: generate, tokenize a card, update the customer and a payment method", async () => {
  const customer = await customerWithCard();
  const token = (await gateway.clientToken.generate({})).clientToken;
  let nonce = await tokenize(token, { number: "5555555555554444", expirationDate: "12/2031", cvv: "123" });
  let result = success(await gateway.customer.update(customer.id, { paymentMethodNonce: nonce }), "customer update");
  equal(result.customer.creditCards.map((c) => c.last4), ["1111", "4444"], "card vaulted");
  nonce = await tokenize(token, { number: "378282246310005", expirationMonth: "11", expirationYear: "2032" });
  result = success(
    await gateway.paymentMethod.update(customer.creditCards[0].token, { paymentMethodNonce: nonce }),
    "payment method update"
  );
  equal(result.paymentMethod.cardType, "American Express", "updated from the nonce");
  const unknown = await gateway.clientToken.generate({ customerId: "no-such-customer" });
  expect(!unknown.success, "a client token for an unknown customer is refused");
});

runChecks("braintree (Node)");
