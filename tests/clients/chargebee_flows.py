"""The official Python client (``chargebee`` on PyPI) against ``gatecheck serve``.

Each ``@check`` is one flow of the Chargebee seed document (Update payment method for
a customer) or the customer create and retrieve calls around it.
"""

import uuid
from urllib.parse import urlparse

import chargebee

from harness import base_url, check, equal, expect, run_checks

URL = urlparse(base_url())
# The client builds https://{site}.{chargebee_domain}/api/v2; splitting the host at its
# first dot points it at 127.0.0.1:PORT.
chargebee.Chargebee.verify_ca_certs = False
SITE, DOMAIN = ("%s:%s" % (URL.hostname, URL.port)).split(".", 1)
CB = chargebee.Chargebee(api_key="sandbox_api_key", site=SITE, chargebee_domain=DOMAIN, protocol="http")


def new_customer():
    return CB.Customer.create({"id": "cb-%s" % uuid.uuid4().hex[:10], "email": "ada@example.com"}).customer


def refused(call, code, param):
    try:
        call()
    except chargebee.APIError as e:
        equal((e.api_error_code, e.error_code, e.param, e.http_status_code), ("param_wrong_value", code, param, 400), "error")
        return
    raise AssertionError("the request was not refused")


@check("customer: create and retrieve")
def customer_create_retrieve():
    customer = new_customer()
    found = CB.Customer.retrieve(customer.id).customer
    equal((found.id, found.email), (customer.id, "ada@example.com"), "retrieved")


@check("update payment method: card on the default gateway")
def card_default_gateway():
    customer = new_customer()
    result = CB.Customer.update_payment_method(
        customer.id, {"payment_method": {"type": "card", "reference_id": "cus_63MnDn0t6kfDW7/card_6WjCF20vT9WN1G"}}
    )
    pm = result.customer.payment_method
    equal((pm.type, pm.gateway, pm.gateway_account_id, pm.status), ("card", "stripe", "gw_stripe", "valid"), "payment method")
    expect(len(result.card.last4) == 4, "a card")


@check("update payment method: each gateway's reference format")
def card_references():
    for selector, account, reference, gateway in [
        ("gateway", "braintree", "cus_63MnDn0t6kfDW7/card_6WjCF20vT9WN1G", "braintree"),
        ("gateway_account_id", "gw_braintree", "bt_customer_42", "braintree"),
        ("gateway_account_id", "gw_spreedly", "1rpKvP8zOUhj4Y9EDrIoIYQzzD5", "worldpay"),
        ("gateway", "authorize_net", "2384383/34834382", "authorize_net"),
    ]:
        customer = new_customer()
        result = CB.Customer.update_payment_method(
            customer.id, {"payment_method": {"type": "card", selector: account, "reference_id": reference}}
        )
        equal(result.customer.payment_method.gateway, gateway, reference)


@check("update payment method: PayPal Express Checkout and Amazon billing agreements")
def paypal_and_amazon():
    for kind, reference in [("paypal_express_checkout", "B-5YM89394MX9271022"), ("amazon_payments", "C01-1234567-1234567")]:
        customer = new_customer()
        result = CB.Customer.update_payment_method(
            customer.id, {"payment_method": {"type": kind, "reference_id": reference}}
        )
        equal(result.customer.payment_method.type, kind, "type")


@check("update payment method: direct debit with a reference or a tmp_token")
def direct_debit():
    customer = new_customer()
    result = CB.Customer.update_payment_method(
        customer.id, {"payment_method": {"type": "direct_debit", "gateway": "gocardless", "reference_id": "MD0077Z99TTQXK"}}
    )
    equal(result.customer.payment_method.gateway, "gocardless", "gateway")
    customer = new_customer()
    result = CB.Customer.update_payment_method(
        customer.id, {"payment_method": {"type": "direct_debit", "gateway": "stripe", "tmp_token": "btok_1"}}
    )
    equal(result.customer.payment_method.type, "direct_debit", "type")


@check("update payment method: issuing_country and the documented headers")
def country_and_headers():
    customer = new_customer()
    result = CB.Customer.update_payment_method(
        customer.id,
        {"payment_method": {"type": "card", "reference_id": "cus_H1/card_H1", "issuing_country": "GB"}},
        headers={
            "chargebee-request-origin-ip": "203.0.113.7",
            "chargebee-request-origin-user": "ada@example.com",
            "chargebee-request-origin-device": "iPhone 15",
            "chargebee-event-email": "all-disabled",
        },
    )
    equal(result.customer.payment_method.reference_id, "cus_H1/card_H1", "reference")


@check("update payment method: refusals are Chargebee's error documents")
def refusals():
    customer = new_customer()
    refused(
        lambda: CB.Customer.update_payment_method(customer.id, {"payment_method": {"type": "card", "gateway": "stripe"}}),
        "param_blank",
        "payment_method[reference_id]",
    )
    refused(
        lambda: CB.Customer.update_payment_method(
            customer.id, {"payment_method": {"type": "card", "reference_id": "cus_1/card_2", "tmp_token": "tok_visa"}}
        ),
        "param_not_required",
        "payment_method[tmp_token]",
    )
    try:
        CB.Customer.update_payment_method("no-such-customer", {"payment_method": {"type": "card", "reference_id": "cus_1"}})
    except chargebee.APIError as e:
        equal(e.http_status_code, 404, "unknown customer")
        return
    raise AssertionError("an unknown customer was updated")


if __name__ == "__main__":
    run_checks("chargebee (Python)")
