"""A user's own password: change it (signed in) or reset it through a link sent by email.

Django's own views (django.contrib.auth.views) with the portal's Thai pages under
templates/registration/ and forms whose words are Thai (forms.py). The reset page answers the same
whether or not the address belongs to a user, so it does not reveal who has an account;
it sends at most 3 emails per address and 20 per client an hour (throttle.py), answering the same."""
