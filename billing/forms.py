from django import forms

from billing.plans import PLANS


def _choices(*, self_serve_only: bool):
    return [(p.slug, p.name) for p in PLANS.values() if p.self_serve or not self_serve_only]


class CheckoutForm(forms.Form):
    plan = forms.ChoiceField(choices=_choices(self_serve_only=True))
    seats = forms.IntegerField(min_value=1, max_value=10_000)

    def __init__(self, *args, plans: list[str] | None = None, **kwargs):
        """`plans`: the slugs shown (the upgrades from the current plan); validation keeps every
        self-serve plan, and the service refuses what cannot be bought."""
        super().__init__(*args, **kwargs)
        if plans is not None:
            self.fields["plan"].widget.choices = [c for c in self.fields["plan"].choices if c[0] in plans]


class PlanChangeForm(forms.Form):
    plan = forms.ChoiceField(choices=_choices(self_serve_only=True))


class SeatsForm(forms.Form):
    seats = forms.IntegerField(min_value=1, max_value=10_000)


class PlanSetForm(forms.Form):
    plan = forms.ChoiceField(choices=_choices(self_serve_only=False))
    seats = forms.IntegerField(min_value=1, max_value=100_000)
    follow_stripe = forms.BooleanField(required=False, label="Let Stripe's subscription set the plan again")


class InvoicedSubscriptionForm(forms.Form):
    plan = forms.ChoiceField(choices=[("business", "Business (annual)"), ("enterprise", "Enterprise (annual)")])
    seats = forms.IntegerField(min_value=1, max_value=100_000)
    billing_email = forms.EmailField(label="Send invoices to")
