from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import Length


class ItemForm(FlaskForm):
    name = StringField("Name", validators=[Length(max=80)])
    description = StringField("Description", validators=[Length(max=300)])
    submit = SubmitField("Save")
