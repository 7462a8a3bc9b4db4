from __future__ import annotations

from flask import render_template
from flask_login import current_user

from crm.home.blueprint import bp
from crm.home.service import overview, work_queues


@bp.route("/")
def dashboard():
    return render_template("home/dashboard.html", overview=overview(), queues=work_queues(user=current_user))
