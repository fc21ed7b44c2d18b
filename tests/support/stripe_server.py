"""A local Stripe for the tests: localstripe (customers, plans, subscriptions, invoices) plus what
localstripe lacks, answered here in Stripe's documented shapes (Checkout Sessions, Billing portal
sessions, `price` on subscription items, `collection_method`), on 127.0.0.1 in a thread.

Also the test's side of Stripe: completing a Checkout as the customer would, moving a subscription
to another status, and building and signing webhook events with the endpoint secret exactly as
Stripe signs them (`Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">`).
"""

import asyncio
import hashlib
import hmac
import json
import secrets
import threading
import time

from aiohttp import web
from localstripe import resources as ls
from localstripe import server as ls_server
from localstripe.errors import UserError

from tests.support.processes import free_port

# localstripe pickles its whole store to /tmp on every write (shared by every test run on the
# machine); our store lives in memory for the server's life only.
ls.store.dump_to_disk = lambda: None
# The tests build, sign and deliver events themselves; localstripe's own sender stays quiet.
ls.schedule_webhook = lambda event: None

PRICES = {  # price id -> (amount in cents per seat per interval, interval)
    "price_team": (2500, "month"),
    "price_business": (4500, "month"),
    "price_business_annual": (45000, "year"),
    "price_enterprise_annual": (90000, "year"),
}


def _rid(prefix: str) -> str:
    return prefix + secrets.token_hex(12)


def subscription_shape(sub) -> dict:
    """localstripe's subscription as today's API shows it: items carry `price` (Stripe keeps the
    deprecated `plan` beside it), plus the collection method."""
    body = sub._export()
    for item in body["items"]["data"]:
        item["price"] = {**item["plan"], "object": "price"}
    body.setdefault("collection_method", "charge_automatically")
    body.setdefault("days_until_due", None)
    return body


class LocalStripe:
    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.checkout_sessions: dict[str, dict] = {}
        self.portal_sessions: dict[str, dict] = {}
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._started = threading.Event()

    # --- life cycle --------------------------------------------------------------------------
    def start(self) -> "LocalStripe":
        self._thread.start()
        if not self._started.wait(10):
            raise RuntimeError("local Stripe did not start")
        self.run(self._create_prices)
        return self

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)

    def _serve(self) -> None:
        asyncio.set_event_loop(self.loop)
        runner = web.AppRunner(self._app())
        self.loop.run_until_complete(runner.setup())
        self.loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", self.port).start())
        self._started.set()
        self.loop.run_forever()
        self.loop.run_until_complete(runner.cleanup())

    def run(self, fn, *args):
        """Run `fn` on the server's loop (localstripe's objects are not thread-safe)."""

        async def call():
            return fn(*args)

        return asyncio.run_coroutine_threadsafe(call(), self.loop).result(10)

    def _app(self) -> web.Application:
        app = web.Application(middlewares=[ls_server.error_middleware, ls_server.auth_middleware])
        router = app.router
        # Ours first: aiohttp answers with the first route that matches.
        router.add_post("/v1/checkout/sessions", self._checkout_create)
        router.add_get("/v1/checkout/sessions/{id}", self._checkout_retrieve)
        router.add_post("/v1/billing_portal/sessions", self._portal_create)
        router.add_post("/v1/subscriptions", self._subscription_create)
        router.add_get("/v1/subscriptions/{id}", self._subscription_retrieve)
        router.add_post("/v1/subscriptions/{id}", self._subscription_update)
        router.add_delete("/v1/subscriptions/{id}", self._subscription_cancel)
        for route in ls_server.app.router.routes():
            if route.method != "HEAD":
                router.add_route(route.method, route.resource.canonical, route.handler)
        return app

    def _create_prices(self):
        for price_id, (amount, interval) in PRICES.items():
            if ls.store.get(f"plan:{price_id}") is None:
                ls.Plan(id=price_id, amount=amount, currency="eur", interval=interval, product={"name": price_id})

    # --- Checkout Sessions and Billing portal (not in localstripe) ----------------------------
    async def _checkout_create(self, request):
        data = await ls_server.get_post_data(request) or {}
        items = data.get("line_items") or []
        if data.get("mode") != "subscription" or not data.get("success_url") or len(items) != 1:
            raise UserError(400, "Bad request")
        ls.Customer._api_retrieve(data.get("customer") or "")
        ls.Plan._api_retrieve(items[0].get("price") or "")  # prices are localstripe plans here
        quantity = int(items[0].get("quantity") or 1)
        now = int(time.time())
        session = {
            "id": _rid("cs_test_"),
            "object": "checkout.session",
            "mode": "subscription",
            "customer": data["customer"],
            "client_reference_id": data.get("client_reference_id"),
            "metadata": data.get("metadata") or {},
            "status": "open",
            "payment_status": "unpaid",
            "subscription": None,
            "success_url": data["success_url"],
            "cancel_url": data.get("cancel_url"),
            "created": now,
            "expires_at": now + 86400,
            "livemode": False,
            "currency": "eur",
            "url": None,
            "_line": {"price": items[0]["price"], "quantity": quantity},
            "_subscription_data": data.get("subscription_data") or {},
        }
        session["url"] = f"{self.url}/pay/{session['id']}"
        self.checkout_sessions[session["id"]] = session
        return ls_server.json_response(self._public(session))

    async def _checkout_retrieve(self, request):
        session = self.checkout_sessions.get(request.match_info["id"])
        if session is None:
            raise UserError(404, "Not Found")
        return ls_server.json_response(self._public(session))

    async def _portal_create(self, request):
        data = await ls_server.get_post_data(request) or {}
        ls.Customer._api_retrieve(data.get("customer") or "")
        session = {
            "id": _rid("bps_"),
            "object": "billing_portal.session",
            "customer": data["customer"],
            "return_url": data.get("return_url"),
            "created": int(time.time()),
            "livemode": False,
            "configuration": "bpc_local",
            "flow": None,
            "locale": None,
            "on_behalf_of": None,
        }
        session["url"] = f"{self.url}/portal/{session['id']}"
        self.portal_sessions[session["id"]] = session
        return ls_server.json_response(session)

    @staticmethod
    def _public(session: dict) -> dict:
        return {k: v for k, v in session.items() if not k.startswith("_")}

    # --- Subscriptions: Stripe's current parameters on top of localstripe --------------------
    @staticmethod
    def _items_to_plans(data: dict) -> None:
        for item in data.get("items") or []:
            if "price" in item:
                item["plan"] = item.pop("price")

    async def _subscription_create(self, request):
        data = await ls_server.get_post_data(request) or {}
        self._items_to_plans(data)
        collection = data.pop("collection_method", "charge_automatically")
        days = data.pop("days_until_due", None)
        data.pop("expand", None)
        if collection == "send_invoice":
            # localstripe would charge a card at once; an invoiced subscription is active at once
            # and its invoice is emailed. A trial end skips localstripe's charge; then we clear it.
            data["trial_end"] = int(time.time()) + 3600
        sub = ls.Subscription._api_create(**data)
        sub.collection_method = collection
        sub.days_until_due = int(days) if days else None
        if collection == "send_invoice":
            sub.trial_end, sub.status = None, "active"
        return ls_server.json_response(subscription_shape(sub))

    async def _subscription_retrieve(self, request):
        return ls_server.json_response(subscription_shape(ls.Subscription._api_retrieve(request.match_info["id"])))

    async def _subscription_update(self, request):
        data = await ls_server.get_post_data(request) or {}
        self._items_to_plans(data)
        data.pop("proration_behavior", None)
        data.pop("expand", None)
        sub = ls.Subscription._api_update(request.match_info["id"], **data)
        return ls_server.json_response(subscription_shape(sub))

    async def _subscription_cancel(self, request):
        ls.Subscription._api_delete(request.match_info["id"])
        return ls_server.json_response(subscription_shape(ls.Subscription._api_retrieve(request.match_info["id"])))

    # --- the customer's and Stripe's side, for tests ------------------------------------------
    def checkout_complete(self, session_id: str) -> dict:
        """Pay a Checkout session with a test card: creates the subscription, as Stripe would."""
        return self.run(self._checkout_complete, session_id)

    def _checkout_complete(self, session_id: str) -> dict:
        session = self.checkout_sessions[session_id]
        customer = ls.Customer._api_retrieve(session["customer"])
        card = ls.PaymentMethod(
            type="card", card={"number": "4242424242424242", "exp_month": 12, "exp_year": 2040, "cvc": "123"}
        )
        ls.PaymentMethod._api_attach(card.id, customer=customer.id)
        customer.invoice_settings["default_payment_method"] = card.id
        sub = ls.Subscription(
            customer=customer.id,
            items=[{"plan": session["_line"]["price"], "quantity": session["_line"]["quantity"]}],
            metadata=session["_subscription_data"].get("metadata") or {},
        )
        sub.collection_method = "charge_automatically"
        session.update(status="complete", payment_status="paid", subscription=sub.id)
        return self._public(session)

    def subscription(self, subscription_id: str) -> dict:
        return self.run(lambda: subscription_shape(ls.Subscription._api_retrieve(subscription_id)))

    def subscription_set(self, subscription_id: str, **changes) -> dict:
        """Move a subscription as Stripe's billing engine would (status after a failed renewal...)."""

        def change():
            sub = ls.Subscription._api_retrieve(subscription_id)
            for key, value in changes.items():
                setattr(sub, key, value)
            return subscription_shape(sub)

        return self.run(change)

    def invoice(self, subscription: dict, *, status: str, attempt_count: int = 1) -> dict:
        """A renewal invoice of the subscription in today's shape (subscription under `parent`)."""
        item = subscription["items"]["data"][0]
        amount = item["price"]["amount"] * item["quantity"]
        return {
            "id": _rid("in_"),
            "object": "invoice",
            "customer": subscription["customer"],
            "status": status,
            "paid": status == "paid",
            "amount_due": amount,
            "amount_paid": amount if status == "paid" else 0,
            "currency": "eur",
            "attempt_count": attempt_count,
            "billing_reason": "subscription_cycle",
            "collection_method": subscription.get("collection_method", "charge_automatically"),
            "created": int(time.time()),
            "livemode": False,
            "parent": {
                "type": "subscription_details",
                "quote_details": None,
                "subscription_details": {"subscription": subscription["id"], "metadata": {}},
            },
        }


def stripe_event(event_type: str, obj: dict, *, created: int | None = None, event_id: str | None = None) -> dict:
    """An event as Stripe delivers it (https://docs.stripe.com/api/events/object)."""
    return {
        "id": event_id or _rid("evt_"),
        "object": "event",
        "api_version": "2026-10-28.endive",
        "created": int(created if created is not None else time.time()),
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": event_type,
        "data": {"object": obj},
    }


def stripe_signature(payload: bytes, secret: str, *, timestamp: int | None = None) -> str:
    t = int(timestamp if timestamp is not None else time.time())
    digest = hmac.new(secret.encode(), f"{t}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={t},v1={digest}"


def event_payload(event: dict) -> bytes:
    return json.dumps(event, indent=2).encode()
