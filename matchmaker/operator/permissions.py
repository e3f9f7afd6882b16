"""Who may open the operator's pages: the programme's staff."""

from django.contrib.admin.views.decorators import staff_member_required

# The programme office's staff are Django staff users; anyone else is sent to log in.
operator_required = staff_member_required
