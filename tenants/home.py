"""The organisation's root URL until the broker index takes it over: browsers get a page."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def index(request):
    return render(request, "tenant/home.html")
