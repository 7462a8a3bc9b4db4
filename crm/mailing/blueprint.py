from flask import Blueprint

bp = Blueprint("mailing", __name__, url_prefix="/email")
