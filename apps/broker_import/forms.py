from django import forms


class ImportForm(forms.Form):
    source_url = forms.URLField(
        label="Source broker URL",
        assume_scheme="https",
        help_text="The base URL of the Pact Broker to import from, e.g. https://pact-broker.internal.example.com",
    )
    token = forms.CharField(
        label="API token", required=False, widget=forms.PasswordInput, help_text="A read token of the source broker."
    )
    username = forms.CharField(label="Or username (HTTP Basic)", required=False)
    password = forms.CharField(label="Password", required=False, widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("token") and data.get("username"):
            raise forms.ValidationError("Give a token or a username and password, not both.")
        if data.get("username") and not data.get("password"):
            self.add_error("password", "A username needs its password.")
        return data
