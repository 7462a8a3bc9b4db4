from flask import Blueprint

bp = Blueprint("salutations", __name__, url_prefix="/admin/salutations")
