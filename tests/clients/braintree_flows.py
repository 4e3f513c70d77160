"""The official Python client (``braintree`` on PyPI) against ``gatecheck serve``.

Each ``@check`` is one flow of the Braintree seed documents (Customer: Update, Updating
Customers, Payment Method: Update) or one of the calls a user makes around them:
create, find and delete customers, payment methods, credit cards, PayPal accounts and
addresses, and a client token turned into a nonce the way the Drop-in does it.
"""

import base64
import json
import urllib.request
import uuid
from urllib.parse import urlparse

import braintree
from braintree.exceptions import NotFoundError

from harness import base_url, check, equal, expect, run_checks

URL = urlparse(base_url())
GATEWAY = braintree.BraintreeGateway(
    braintree.Configuration(
        environment=braintree.Environment(
            "development", URL.hostname, str(URL.port), "", False, None
        ),
        merchant_id="sandbox_merchant",
        public_key="sandbox_public",
        private_key="sandbox_private",
    )
)


def new_id(prefix):
    return "%s-%s" % (prefix, uuid.uuid4().hex[:10])


def codes(result):
    expect(not result.is_success, "expected an error result")
    return sorted(e.code for e in result.errors.deep_errors)


def success(result, what):
    if not result.is_success:
        raise AssertionError("%s failed: %s" % (what, result.message))
    return result


def customer_with_card(number="4111111111111111", **card):
    card.setdefault("expiration_date", "05/2030")
    card.setdefault("billing_address", {"street_address": "1 Old St", "postal_code": "60606"})
    result = GATEWAY.customer.create(
        {"id": new_id("c"), "first_name": "Ada", "credit_card": dict(number=number, **card)}
    )
    return success(result, "customer create").customer


@check("customer: create, find and delete")
def customer_lifecycle():
    customer = customer_with_card(cvv="123")
    equal(customer.first_name, "Ada", "first name")
    card = customer.credit_cards[0]
    equal((card.bin, card.last_4, card.card_type), ("411111", "1111", "Visa"), "card")
    expect(customer.graphql_id, "customer.graphql_id (global_id) is set")
    expect(card.graphql_id, "credit card graphql_id (global_id) is set")
    equal(card.masked_number, "411111******1111", "masked number computed by the client")
    found = GATEWAY.customer.find(customer.id)
    equal(found.credit_cards[0].token, card.token, "found card token")
    equal(found.addresses[0].street_address, "1 Old St", "address")
    GATEWAY.customer.delete(customer.id)
    try:
        GATEWAY.customer.find(customer.id)
    except NotFoundError:
        return
    raise AssertionError("a deleted customer is still found")


@check("customer update: only the customer")
def update_only_customer():
    customer = customer_with_card()
    result = success(
        GATEWAY.customer.update(
            customer.id, {"first_name": "New First Name", "last_name": "New Last Name"}
        ),
        "update",
    )
    equal(
        (result.customer.first_name, result.customer.last_name),
        ("New First Name", "New Last Name"),
        "names",
    )
    equal(len(result.customer.credit_cards), 1, "cards unchanged")


@check("customer update: the existing credit card by token")
def update_existing_card():
    customer = customer_with_card()
    token = GATEWAY.customer.find(customer.id).credit_cards[0].token
    result = success(
        GATEWAY.customer.update(
            customer.id,
            {
                "email": "new.email@example.com",
                "credit_card": {
                    "number": "5555555555554444",
                    "expiration_date": "08/2031",
                    "options": {"update_existing_token": token},
                },
            },
        ),
        "update",
    )
    cards = result.customer.credit_cards
    equal([(c.token, c.last_4) for c in cards], [(token, "4444")], "one updated card")
    equal(result.customer.email, "new.email@example.com", "email")


@check("customer update: verify_card verifies, a declining card returns the verification")
def update_verify_card():
    customer = customer_with_card()
    token = customer.credit_cards[0].token
    ok = success(
        GATEWAY.customer.update(
            customer.id,
            {
                "credit_card": {
                    "number": "5555555555554444",
                    "expiration_date": "08/2031",
                    "options": {"update_existing_token": token, "verify_card": True},
                }
            },
        ),
        "verified update",
    )
    equal(ok.customer.credit_cards[0].verifications[0]["status"], "verified", "verification")
    declined = GATEWAY.customer.update(
        customer.id,
        {
            "credit_card": {
                "number": "5105105105105100",
                "expiration_date": "08/2031",
                "options": {"update_existing_token": token, "verify_card": True},
            }
        },
    )
    expect(not declined.is_success, "a declining card fails the update")
    equal(declined.credit_card_verification.status, "processor_declined", "verification status")
    equal(declined.credit_card_verification.processor_response_code, "2000", "response code")


@check("customer update: a card without update_existing_token adds a second card")
def update_adds_card():
    customer = customer_with_card()
    equal(len(GATEWAY.customer.find(customer.id).credit_cards), 1, "one card")
    result = success(
        GATEWAY.customer.update(
            customer.id,
            {"credit_card": {"number": "5105105105105100", "expiration_date": "11/2031"}},
        ),
        "update",
    )
    equal(len(result.customer.credit_cards), 2, "two cards")


@check("customer update: card and billing address with update_existing")
def update_card_and_address():
    customer = customer_with_card()
    token = customer.credit_cards[0].token
    address_id = customer.addresses[0].id
    result = success(
        GATEWAY.customer.update(
            customer.id,
            {
                "email": "new.email@example.com",
                "credit_card": {
                    "cardholder_name": "New Cardholder Name",
                    "number": "5555555555554444",
                    "expiration_date": "08/2031",
                    "options": {"update_existing_token": token},
                    "billing_address": {
                        "street_address": "New Street Address",
                        "postal_code": "60622",
                        "options": {"update_existing": True},
                    },
                },
            },
        ),
        "update",
    )
    card = result.customer.credit_cards[0]
    equal(card.cardholder_name, "New Cardholder Name", "cardholder")
    equal(card.billing_address.id, address_id, "same address")
    equal(card.billing_address.street_address, "New Street Address", "street")
    equal(len(result.customer.addresses), 1, "no new address")


@check("customer update: billing address without update_existing adds an address")
def update_new_address():
    customer = customer_with_card()
    token = customer.credit_cards[0].token
    old = customer.addresses[0].id
    result = success(
        GATEWAY.customer.update(
            customer.id,
            {
                "credit_card": {
                    "options": {"update_existing_token": token},
                    "billing_address": {"street_address": "2 New Rd"},
                }
            },
        ),
        "update",
    )
    equal(len(result.customer.addresses), 2, "two addresses")
    expect(result.customer.credit_cards[0].billing_address.id != old, "card uses the new one")


@check("customer update: payment_method_nonce of any type, with email")
def update_with_nonces():
    customer = customer_with_card()
    result = success(
        GATEWAY.customer.update(
            customer.id,
            {"payment_method_nonce": "fake-paypal-future-nonce", "email": "new.email@example.com"},
        ),
        "PayPal nonce",
    )
    equal(len(result.customer.paypal_accounts), 1, "PayPal account added")
    expect(result.customer.paypal_accounts[0].graphql_id, "PayPal graphql_id")
    result = success(
        GATEWAY.customer.update(customer.id, {"payment_method_nonce": "fake-valid-visa-nonce"}),
        "card nonce",
    )
    equal(len(result.customer.credit_cards), 2, "card added from the nonce")
    equal(len(result.customer.payment_methods), 3, "payment_methods joins the lists")


@check("customer update: a nonce beside update_existing_token updates that card")
def update_card_from_nonce():
    customer = customer_with_card()
    token = customer.credit_cards[0].token
    result = success(
        GATEWAY.customer.update(
            customer.id,
            {
                "payment_method_nonce": "fake-valid-mastercard-nonce",
                "email": "new.email@example.com",
                "credit_card": {"options": {"update_existing_token": token}},
            },
        ),
        "update",
    )
    equal([(c.token, c.card_type) for c in result.customer.credit_cards], [(token, "MasterCard")], "cards")


@check("customer update: default_payment_method_token")
def update_default():
    customer = customer_with_card()
    second = success(
        GATEWAY.customer.update(customer.id, {"payment_method_nonce": "fake-venmo-account-nonce"}),
        "venmo",
    ).customer.venmo_accounts[0]
    result = success(
        GATEWAY.customer.update(customer.id, {"default_payment_method_token": second.token}),
        "default",
    )
    defaults = [pm.token for pm in result.customer.payment_methods if pm.default]
    equal(defaults, [second.token], "default")


@check("customer update: validation errors, custom fields and international phone")
def update_validation():
    customer = customer_with_card()
    result = GATEWAY.customer.update(
        customer.id, {"email": "not-an-email", "custom_fields": {"nope": "x"}}
    )
    equal(codes(result), ["81604", "91602"], "codes")
    result = success(
        GATEWAY.customer.update(
            customer.id,
            {
                "custom_fields": {"store_me": "blue"},
                "international_phone": {"country_code": "1", "national_number": "3121234567"},
            },
        ),
        "custom fields",
    )
    equal(result.customer.custom_fields, {"store_me": "blue"}, "custom fields")
    equal(result.customer.international_phone["national_number"], "3121234567", "phone")


@check("payment method update: billing address with update_existing")
def pm_update_address_in_place():
    customer = customer_with_card()
    token = customer.credit_cards[0].token
    result = success(
        GATEWAY.payment_method.update(
            token,
            {"billing_address": {"street_address": "100 Maple Lane", "options": {"update_existing": True}}},
        ),
        "update",
    )
    equal(result.payment_method.billing_address.id, customer.addresses[0].id, "same address")
    equal(result.payment_method.billing_address.street_address, "100 Maple Lane", "street")


@check("payment method update: a new billing address")
def pm_update_new_address():
    customer = customer_with_card()
    token = customer.credit_cards[0].token
    result = success(
        GATEWAY.payment_method.update(
            token,
            {
                "billing_address": {
                    "street_address": "1 E Main St",
                    "extended_address": "Suite 3",
                    "locality": "Chicago",
                    "region": "IL",
                    "postal_code": "60622",
                }
            },
        ),
        "update",
    )
    expect(result.payment_method.billing_address.id != customer.addresses[0].id, "a new address")
    equal(len(GATEWAY.customer.find(customer.id).addresses), 2, "the old one stays")


@check("payment method update: billing_address_id and make_default")
def pm_update_address_id_and_default():
    customer = customer_with_card()
    second = success(
        GATEWAY.customer.update(
            customer.id,
            {"credit_card": {"number": "5555555555554444", "expiration_date": "11/2031"}},
        ),
        "second card",
    ).customer.credit_cards[1]
    result = success(
        GATEWAY.payment_method.update(
            second.token,
            {"billing_address_id": customer.addresses[0].id, "options": {"make_default": True}},
        ),
        "update",
    )
    equal(result.payment_method.billing_address.id, customer.addresses[0].id, "linked address")
    expect(result.payment_method.default, "made default")


@check("payment method update: nonce with verify_card, nonce with a billing address")
def pm_update_nonce():
    customer = customer_with_card()
    token = customer.credit_cards[0].token
    result = success(
        GATEWAY.payment_method.update(
            token,
            {
                "payment_method_nonce": "fake-valid-mastercard-nonce",
                "options": {"verify_card": True, "verification_amount": "1.00"},
            },
        ),
        "verify",
    )
    equal(result.payment_method.card_type, "MasterCard", "card from nonce")
    result = success(
        GATEWAY.payment_method.update(
            token,
            {
                "payment_method_nonce": "fake-valid-amex-nonce",
                "billing_address": {"street_address": "1 E Main St", "locality": "Chicago", "region": "IL"},
            },
        ),
        "address",
    )
    equal(result.payment_method.billing_address.locality, "Chicago", "locality")
    declined = GATEWAY.payment_method.update(
        token,
        {"payment_method_nonce": "fake-processor-declined-visa-nonce", "options": {"verify_card": True}},
    )
    expect(not declined.is_success, "declined")
    equal(declined.credit_card_verification.status, "processor_declined", "status")


@check("payment method update: an unknown token raises NotFoundError")
def pm_update_unknown():
    try:
        GATEWAY.payment_method.update("no-such-token", {"options": {"make_default": True}})
    except NotFoundError:
        return
    raise AssertionError("no NotFoundError")


@check("payment method update: a nonce tied to a customer is refused (91735)")
def pm_update_customer_nonce():
    customer = customer_with_card()
    token = customer.credit_cards[0].token
    nonce = success(GATEWAY.payment_method_nonce.create(token), "nonce").payment_method_nonce.nonce
    result = GATEWAY.payment_method.update(token, {"payment_method_nonce": nonce})
    equal(codes(result), ["91735"], "codes")


@check("paypal account: update the token, find, delete; typed paths answer by type")
def paypal_account():
    customer = customer_with_card()
    paypal = success(
        GATEWAY.payment_method.create(
            {"customer_id": customer.id, "payment_method_nonce": "fake-paypal-billing-agreement-nonce"}
        ),
        "create",
    ).payment_method
    expect(isinstance(paypal, braintree.PayPalAccount), "a PayPal account")
    expect(paypal.funding_source_description is None or paypal.funding_source_description, "attribute read")
    new_token = new_id("pp")
    result = success(GATEWAY.paypal_account.update(paypal.token, {"token": new_token}), "update")
    equal(result.paypal_account.token, new_token, "renamed")
    equal(GATEWAY.paypal_account.find(new_token).email, "jane.doe@example.com", "found")
    for call in (
        lambda: GATEWAY.credit_card.find(new_token),
        lambda: GATEWAY.paypal_account.find(customer.credit_cards[0].token),
    ):
        try:
            call()
        except NotFoundError:
            continue
        raise AssertionError("a typed path found a payment method of another type")
    GATEWAY.paypal_account.delete(new_token)
    try:
        GATEWAY.payment_method.find(new_token)
    except NotFoundError:
        return
    raise AssertionError("deleted PayPal account still found")


@check("payment method: create from every documented nonce")
def pm_create_from_nonces():
    customer = success(GATEWAY.customer.create({}), "customer").customer
    expected = {
        "fake-valid-nonce": braintree.CreditCard,
        "fake-valid-visa-nonce": braintree.CreditCard,
        "fake-valid-amex-nonce": braintree.CreditCard,
        "fake-valid-mastercard-nonce": braintree.CreditCard,
        "fake-valid-discover-nonce": braintree.CreditCard,
        "fake-valid-jcb-nonce": braintree.CreditCard,
        "fake-valid-maestro-nonce": braintree.CreditCard,
        "fake-valid-dinersclub-nonce": braintree.CreditCard,
        "fake-valid-prepaid-nonce": braintree.CreditCard,
        "fake-paypal-future-nonce": braintree.PayPalAccount,
        "fake-paypal-billing-agreement-nonce": braintree.PayPalAccount,
        "fake-apple-pay-visa-nonce": braintree.ApplePayCard,
        "fake-apple-pay-mastercard-nonce": braintree.ApplePayCard,
        "fake-apple-pay-amex-nonce": braintree.ApplePayCard,
        "fake-android-pay-nonce": braintree.AndroidPayCard,
        "fake-android-pay-visa-nonce": braintree.AndroidPayCard,
        "fake-android-pay-mastercard-nonce": braintree.AndroidPayCard,
        "fake-android-pay-amex-nonce": braintree.AndroidPayCard,
        "fake-android-pay-discover-nonce": braintree.AndroidPayCard,
        "fake-venmo-account-nonce": braintree.VenmoAccount,
    }
    for nonce, kind in expected.items():
        result = success(
            GATEWAY.payment_method.create({"customer_id": customer.id, "payment_method_nonce": nonce}),
            nonce,
        )
        expect(isinstance(result.payment_method, kind), "%s gives %s" % (nonce, kind.__name__))
        expect(result.payment_method.graphql_id, "%s: graphql_id" % nonce)
    for nonce, code in [
        ("fake-consumed-nonce", "93107"),
        ("fake-luhn-invalid-nonce", "81715"),
        ("fake-paypal-one-time-nonce", "82902"),
        ("no-such-nonce", "93108"),
    ]:
        result = GATEWAY.payment_method.create({"customer_id": customer.id, "payment_method_nonce": nonce})
        equal(codes(result), [code], nonce)
    declined = GATEWAY.payment_method.create(
        {
            "customer_id": customer.id,
            "payment_method_nonce": "fake-processor-declined-visa-nonce",
            "options": {"verify_card": True},
        }
    )
    equal(declined.credit_card_verification.status, "processor_declined", "declined nonce")


@check("payment method: create from card details with token, billing address and options")
def pm_create_card():
    customer = customer_with_card()
    token = new_id("t")
    result = success(
        GATEWAY.payment_method.create(
            {
                "customer_id": customer.id,
                "payment_method_nonce": "fake-valid-discover-nonce",
                "token": token,
                "billing_address": {"street_address": "5 New St", "postal_code": "60622"},
                "options": {
                    "make_default": True,
                    "verify_card": True,
                    "verification_amount": "2.00",
                    "verification_merchant_account_id": "sandbox_eur_merchant_account",
                },
            }
        ),
        "create",
    )
    card = result.payment_method
    equal((card.token, card.card_type, card.default), (token, "Discover", True), "card")
    equal(card.verifications[0]["currency_iso_code"], "EUR", "verified on the EUR account")
    result = success(
        GATEWAY.payment_method.create(
            {
                "customer_id": customer.id,
                "payment_method_nonce": "fake-valid-jcb-nonce",
                "billing_address_id": customer.addresses[0].id,
            }
        ),
        "with billing_address_id",
    )
    equal(result.payment_method.billing_address.id, customer.addresses[0].id, "linked")
    for options, code in [
        ({"fail_on_duplicate_payment_method": True}, "81724"),
        ({"fail_on_duplicate_payment_method_for_customer": True}, "81763"),
    ]:
        again = GATEWAY.payment_method.create(
            {"customer_id": customer.id, "payment_method_nonce": "fake-valid-discover-nonce", "options": options}
        )
        equal(codes(again), [code], "duplicate")
    missing = GATEWAY.payment_method.create({"payment_method_nonce": "fake-valid-nonce"})
    expect(not missing.is_success, "a customer id is required")


@check("payment method: find and delete")
def pm_find_delete():
    customer = customer_with_card()
    token = customer.credit_cards[0].token
    equal(GATEWAY.payment_method.find(token).last_4, "1111", "found")
    GATEWAY.payment_method.delete(token)
    try:
        GATEWAY.payment_method.find(token)
    except NotFoundError:
        equal(GATEWAY.customer.find(customer.id).payment_methods, [], "customer has none left")
        return
    raise AssertionError("deleted payment method still found")


@check("credit card: create, find, update, delete")
def credit_card_lifecycle():
    customer = success(GATEWAY.customer.create({}), "customer").customer
    result = success(
        GATEWAY.credit_card.create(
            {
                "customer_id": customer.id,
                "number": "4111111111111111",
                "expiration_date": "05/2030",
                "cvv": "123",
                "cardholder_name": "Ada L",
                "billing_address": {"postal_code": "60606"},
            }
        ),
        "create",
    )
    card = result.credit_card
    equal((card.last_4, card.cardholder_name), ("1111", "Ada L"), "created")
    for attribute in ("prepaid", "debit", "commercial", "business", "consumer", "corporate", "purchase", "prepaid_reloadable"):
        expect(hasattr(card, attribute), "card has %s" % attribute)
    equal(GATEWAY.credit_card.find(card.token).bin, "411111", "found")
    result = success(
        GATEWAY.credit_card.update(card.token, {"expiration_date": "06/2032", "options": {"make_default": True}}),
        "update",
    )
    equal(result.credit_card.expiration_year, "2032", "updated")
    bad = GATEWAY.credit_card.update(card.token, {"number": "4111111111111112"})
    equal(codes(bad), ["81715"], "errors scoped under credit_card")
    GATEWAY.credit_card.delete(card.token)
    try:
        GATEWAY.credit_card.find(card.token)
    except NotFoundError:
        return
    raise AssertionError("deleted card still found")


@check("address: create, find, update, delete")
def address_lifecycle():
    customer = success(GATEWAY.customer.create({}), "customer").customer
    address = success(
        GATEWAY.address.create({"customer_id": customer.id, "street_address": "9 Other Rd"}),
        "create",
    ).address
    equal(GATEWAY.address.find(customer.id, address.id).street_address, "9 Other Rd", "found")
    result = success(
        GATEWAY.address.update(customer.id, address.id, {"locality": "Chicago", "country_code_alpha2": "US"}),
        "update",
    )
    equal((result.address.street_address, result.address.locality), ("9 Other Rd", "Chicago"), "updated")
    bad = GATEWAY.address.update(customer.id, address.id, {"country_code_alpha2": "ZZ"})
    equal(codes(bad), ["91814"], "country")
    GATEWAY.address.delete(customer.id, address.id)
    try:
        GATEWAY.address.find(customer.id, address.id)
    except NotFoundError:
        return
    raise AssertionError("deleted address still found")


def tokenize(client_token, card):
    """What the Drop-in does in a browser: the client API, authorized by the token."""
    decoded = json.loads(base64.b64decode(client_token))
    body = json.dumps(
        {"authorizationFingerprint": decoded["authorizationFingerprint"], "creditCard": card}
    ).encode()
    request = urllib.request.Request(
        decoded["clientApiUrl"] + "/v1/payment_methods/credit_cards",
        data=body,
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request) as response:
        equal(response.status, 201, "tokenize status")
        return json.loads(response.read())["creditCards"][0]["nonce"]


@check("client token: generate, tokenize a card, update the customer and a payment method")
def client_token_flow():
    customer = customer_with_card()
    token = GATEWAY.client_token.generate()
    nonce = tokenize(token, {"number": "5555555555554444", "expirationDate": "12/2031", "cvv": "123"})
    result = success(
        GATEWAY.customer.update(customer.id, {"payment_method_nonce": nonce}), "customer update"
    )
    equal([c.last_4 for c in result.customer.credit_cards], ["1111", "4444"], "card vaulted")
    nonce = tokenize(token, {"number": "378282246310005", "expirationMonth": "11", "expirationYear": "2032"})
    card_token = customer.credit_cards[0].token
    result = success(
        GATEWAY.payment_method.update(card_token, {"payment_method_nonce": nonce}), "pm update"
    )
    equal(result.payment_method.card_type, "American Express", "updated from the nonce")
    tied = GATEWAY.client_token.generate({"customer_id": customer.id, "options": {"make_default": True}})
    nonce = tokenize(tied, {"number": "6011111111111117", "expirationDate": "10/2030"})
    result = GATEWAY.payment_method.update(card_token, {"payment_method_nonce": nonce})
    equal(codes(result), ["91735"], "a nonce made with a customer's client token")
    result = success(
        GATEWAY.payment_method.create({"customer_id": customer.id, "payment_method_nonce": nonce}),
        "pm create",
    )
    expect(result.payment_method.default, "make_default of the client token applies")
    try:
        GATEWAY.client_token.generate({"customer_id": "no-such-customer"})
    except ValueError:
        return
    raise AssertionError("a client token for an unknown customer was generated")


if __name__ == "__main__":
    run_checks("braintree (Python)")
