"""The organisation's own settings used by its documents: contact line, emblem, signatures."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from lao_integrity.saving import save_form
from lao_integrity.uploads import stored_file_response

from . import access, services
from .forms import OrganisationProfileForm, SignatureForm
from .models import Person


@login_required
def organisation_profile(request, code):
    organisation = access.organisation_for(request, code)
    can_edit = access.can_edit(request.user, organisation)
    initial = {"phone": organisation.phone, "version": organisation.version}
    form = OrganisationProfileForm(initial=initial)
    if request.method == "POST":
        access.require_edit(request.user, organisation)
        form = OrganisationProfileForm(request.POST, request.FILES, initial=initial)
        if form.is_valid():
            saved = save_form(request, form, lambda: services.organisation_update_profile(
                organisation=organisation, phone=form.cleaned_data["phone"], emblem=form.cleaned_data["emblem"],
                remove_emblem=form.cleaned_data["remove_emblem"], user=request.user,
                expected_version=form.cleaned_data["version"]),
                message="บันทึกแล้ว", to=reverse("orgs:profile", args=[organisation.code]))
            if saved:
                return saved
    people = organisation.people.filter(is_active=True).select_related("unit")
    return render(request, "orgs/profile.html", {
        "organisation": organisation, "form": form, "can_edit": can_edit, "people": people,
        "can_sign": access.can_approve(request.user, organisation),
    })


@login_required
def organisation_emblem(request, code):
    organisation = access.organisation_for(request, code)
    # Shown inline: it is a checked PNG/JPEG, stored under the name of its content.
    return stored_file_response(organisation.emblem, as_attachment=False)


@login_required
def person_signature(request, code, person_id):
    """Signatures are set by the organisation's executives only: they sign with them."""
    organisation = access.organisation_for(request, code)
    access.require_approve(request.user, organisation)
    person = get_object_or_404(Person, pk=person_id, organisation=organisation)
    form = SignatureForm(request.POST or None, request.FILES or None, initial={"version": person.version})
    if request.method == "POST" and form.is_valid():
        saved = save_form(request, form, lambda: services.person_set_signature(
            person=person, image=form.cleaned_data["image"], remove=form.cleaned_data["remove"], user=request.user,
            expected_version=form.cleaned_data["version"]),
            message=f"บันทึกลายมือชื่อของ {person.full_name} แล้ว", to=reverse("orgs:profile", args=[organisation.code]))
        if saved:
            return saved
    return render(request, "orgs/signature.html", {"organisation": organisation, "person": person, "form": form})
