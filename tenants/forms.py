from django import forms


class SignupForm(forms.Form):
    org_name = forms.CharField(label="Organisation name", max_length=100)
    slug = forms.CharField(
        label="Subdomain", max_length=100, help_text="Lowercase letters, digits and hyphens; 3–40 characters."
    )
    admin_name = forms.CharField(label="Your name", max_length=150)
    email = forms.EmailField(label="Work email")
    password = forms.CharField(label="Password", widget=forms.PasswordInput, min_length=1)
