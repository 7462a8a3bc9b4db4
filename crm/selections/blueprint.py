from flask import Blueprint

bp = Blueprint("selections", __name__, url_prefix="/selections")
