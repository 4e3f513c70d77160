"""The official Python client (``chargebee`` on PyPI) against ``gatecheck serve``.

Each ``@check`` is one flow of the Chargebee seed document (Update payment method for
a customer) or the customer create, retrieve and list calls around it. The flows that
send lists and JSON-typed parameters ``record()`` what they were answered; ``run``
checks that the Node client (chargebee_flows.js) was told the same.
"""

import time
import uuid
from urllib.parse import urlparse

import chargebee

from harness import base_url, check, equal, expect, record, run_checks

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
        return {"error_code": e.error_code, "param": e.param, "message": str(e)}
    raise AssertionError("the request was not refused")


# What the list and JSON flows send; chargebee_flows.js sends the same values.
META_DATA = {"plan": {"tier": "gold", "seats": 3}, "flags": [True, None, "x"], "note": "it's \"quoted\""}
EXEMPTIONS = [{"tax_level": "state", "location": "CA"}, {"tax_level": "federal"}]
IDENTIFIERS = [
    {"scheme": "0088", "value": "5790000435944"},
    {"id": "ei-2", "scheme": "0192", "value": "987654321", "standard": "iso6523-actorid-upis"},
]
TAX_FIELDS = [{"provider_name": "avalara", "field_id": "entity_code", "field_value": "G"}]


def shown(customer):
    """The JSON-typed and list fields of a customer, as plain data (a made-up id shown as such)."""
    raw = customer.raw_data
    identifiers = [
        dict(item, id=item["id"] if item["id"] == "ei-2" else "made up") for item in raw.get("entity_identifiers", [])
    ]
    return {
        "meta_data": raw.get("meta_data"),
        "exemption_details": raw.get("exemption_details"),
        "entity_identifiers": identifiers,
        "tax_providers_fields": raw.get("tax_providers_fields"),
    }


def ids(result, prefix):
    return [entry.customer.id[len(prefix) :] for entry in result.list]


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


@check("customer create: meta_data, exemption_details, entity_identifiers, tax_providers_fields")
def customer_json_and_lists():
    created = CB.Customer.create(
        {
            "id": "cb-%s" % uuid.uuid4().hex[:10],
            "meta_data": META_DATA,
            "exemption_details": EXEMPTIONS,
            "entity_identifiers": IDENTIFIERS,
            "tax_providers_fields": TAX_FIELDS,
        }
    ).customer
    found = CB.Customer.retrieve(created.id).customer
    equal(shown(found), shown(created), "retrieved as created")
    answer = shown(found)
    equal(answer["meta_data"], META_DATA, "meta_data")
    equal(answer["exemption_details"], EXEMPTIONS, "exemption_details")
    equal([i["scheme"] for i in answer["entity_identifiers"]], ["0088", "0192"], "entity identifier schemes")
    equal(found.entity_identifiers[1].standard, "iso6523-actorid-upis", "standard")
    expect(found.entity_identifiers[0].id, "an id is made up for the first identifier")
    record("customer create: JSON and list fields", answer)


@check("customer create: one exemption, and list items checked one by one")
def customer_list_item_errors():
    created = CB.Customer.create({"exemption_details": [{"tax_level": "county"}]}).customer
    one = created.raw_data["exemption_details"]
    equal(one, [{"tax_level": "county"}], "a list of one")
    bad_item = refused(
        lambda: CB.Customer.create({"entity_identifiers": [{"scheme": "0088", "value": "1"}, {"value": "2"}]}),
        "param_blank",
        "entity_identifiers[scheme][1]",
    )
    bad_meta = refused(lambda: CB.Customer.create({"meta_data": ["not", "an", "object"]}), "param_invalid", "meta_data")
    record("customer create: list item errors", {"one exemption": one, "item 1 without scheme": bad_item, "meta_data a list": bad_meta})


@check("update payment method: additional_information is a JSON object")
def additional_information():
    customer = new_customer()
    result = CB.Customer.update_payment_method(
        customer.id,
        {
            "payment_method": {
                "type": "card",
                "gateway": "braintree",
                "reference_id": "cus_AI/card_AI",
                "additional_information": {"fraud": {"device_session_id": "dev-1", "fraud_merchant_id": "m-1"}, "retry": True},
            }
        },
    )
    equal(result.customer.payment_method.reference_id, "cus_AI/card_AI", "reference")
    error = refused(
        lambda: CB.Customer.update_payment_method(
            customer.id,
            {"payment_method": {"type": "card", "reference_id": "cus_AI", "additional_information": ["a"]}},
        ),
        "param_invalid",
        "payment_method[additional_information]",
    )
    record("update payment method: additional_information", {"accepted": result.customer.payment_method.type, "a list": error})


@check("list customers: filter lists (in, not_in, between), sort and pages")
def list_customers():
    prefix = "ls-%s-" % uuid.uuid4().hex[:8]
    before = int(time.time()) - 5
    for n, collection in [("a", "on"), ("b", "off"), ("c", "on")]:
        CB.Customer.create({"id": prefix + n, "auto_collection": collection, "company": prefix})
    after = int(time.time()) + 5
    # One operator per field: the Node client (3.33) sends two operators on one field as
    # id[starts_with]=…&id[starts_with][not_in]=…, which no gateway can read.
    mine = {"company": {"is": prefix}}
    answers = {
        "in": ids(CB.Customer.list({"id": {"in": [prefix + "c", prefix + "a"]}}), prefix),
        "starts_with": ids(CB.Customer.list({"id": {"starts_with": prefix}}), prefix),
        "not_in": ids(CB.Customer.list(dict(mine, id={"not_in": [prefix + "b"]})), prefix),
        "auto_collection in": ids(CB.Customer.list(dict(mine, auto_collection={"in": ["off"]})), prefix),
        "between": ids(CB.Customer.list(dict(mine, created_at={"between": [before, after]})), prefix),
        "outside": ids(CB.Customer.list(dict(mine, created_at={"between": [1, 2]})), prefix),
        "desc": ids(CB.Customer.list(dict(mine, sort_by={"desc": "created_at"})), prefix),
    }
    page1 = CB.Customer.list(dict(mine, limit=2))
    expect(page1.next_offset, "a next_offset after a full page")
    page2 = CB.Customer.list(dict(mine, limit=2, offset=page1.next_offset))
    answers["pages"] = [ids(page1, prefix), ids(page2, prefix), page2.next_offset]
    equal(answers["in"], ["a", "c"], "id[in]")
    equal(answers["not_in"], ["a", "c"], "id[not_in]")
    equal(answers["auto_collection in"], ["b"], "auto_collection[in]")
    equal(answers["between"], ["a", "b", "c"], "created_at[between]")
    equal(answers["outside"], [], "created_at[between] elsewhere")
    equal(answers["desc"], ["c", "b", "a"], "sort_by[desc]")
    equal(answers["pages"], [["a", "b"], ["c"], None], "pages")
    answers["bad operator"] = refused(lambda: CB.Customer.list({"email": {"in": ["a@example.com"]}}), "param_invalid", "email[in]")
    record("list customers", answers)


if __name__ == "__main__":
    run_checks("chargebee (Python)")
