from flask import Blueprint

bp = Blueprint("taxonomy", __name__, url_prefix="/admin/lists")
