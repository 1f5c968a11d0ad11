"""The operator inbox page: Django staff, signed in (the admin's login)."""

from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import render

from handoff.consumers import operator_id, operator_name


@staff_member_required
def inbox_page(request):
    return render(request, "handoff/inbox.html", {"operator": operator_name(request.user), "operator_id": operator_id(request.user)})
