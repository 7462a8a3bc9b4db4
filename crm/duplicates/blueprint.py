from flask import Blueprint

bp = Blueprint("duplicates", __name__, url_prefix="/duplicates")
