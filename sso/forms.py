from django import forms


class LoginPolicyForm(forms.Form):
    password_enabled = forms.BooleanField(required=False, label="Email and password")
    github_enabled = forms.BooleanField(required=False, label="GitHub")
    google_enabled = forms.BooleanField(required=False, label="Google")
    saml_enabled = forms.BooleanField(required=False, label="SAML 2.0")
    saml_required = forms.BooleanField(required=False, label="Require SAML (turns every other way off)")
    saml_allow_idp_initiated = forms.BooleanField(required=False, label="Allow sign-in started at the IdP")
    break_glass_email = forms.EmailField(required=False, label="Break-glass administrator (keeps password sign-in)")


class SamlIdpForm(forms.Form):
    metadata_url = forms.URLField(required=False, assume_scheme="https", label="IdP metadata URL", max_length=1024)
    metadata_xml = forms.CharField(
        required=False, label="…or IdP metadata XML", widget=forms.Textarea(attrs={"rows": 4})
    )
    metadata_file = forms.FileField(required=False, label="…or upload the metadata file")
    entity_id = forms.CharField(required=False, label="IdP entity ID", max_length=1024)
    sso_url = forms.URLField(
        required=False, assume_scheme="https", label="IdP sign-in URL (HTTP-Redirect)", max_length=1024
    )
    slo_url = forms.URLField(required=False, assume_scheme="https", label="IdP single logout URL", max_length=1024)
    x509_cert = forms.CharField(
        required=False, label="IdP signing certificate (PEM)", widget=forms.Textarea(attrs={"rows": 4})
    )
    attr_email = forms.CharField(required=False, max_length=255, label="Email attribute (empty: the NameID)")
    attr_name = forms.CharField(required=False, max_length=255, initial="name", label="Name attribute")
    attr_groups = forms.CharField(required=False, max_length=255, initial="groups", label="Groups attribute")
    admin_groups = forms.CharField(
        required=False,
        label="Groups whose members are administrators (one a line)",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    sign_requests = forms.BooleanField(
        required=False, label="Sign our requests and logout messages (the IdP's metadata says WantAuthnRequestsSigned)"
    )


class OAuthClientForm(forms.Form):
    client_id = forms.CharField(required=False, max_length=200, label="Client ID")
    client_secret = forms.CharField(
        required=False,
        max_length=500,
        label="Client secret (empty: keep the saved one)",
        widget=forms.PasswordInput(render_value=False),
    )
    allowed_orgs = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Anyone in these GitHub organisations (one a line)",
    )
    allowed_teams = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Anyone on these GitHub teams (organisation/team-slug, one a line)",
    )
    allowed_domains = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Anyone with a verified email at these domains (one a line)",
    )
