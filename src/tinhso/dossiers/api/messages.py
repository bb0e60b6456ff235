"""Vietnamese for the REST framework's own messages that it ships untranslated.

The API answers in the request's language, and Vietnamese is the default; these msgids come
from Django REST framework and are translated in this app's catalogue (gettext catalogues are
merged, so the translations apply wherever DRF raises them). Also the API messages of
``tinhso.core.api``, which has no catalogue of its own.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

DRF_MESSAGES = [
    gettext_noop('"{input}" is not a valid choice.'),
    gettext_noop("A server error occurred."),
    gettext_noop("A valid integer is required."),
    gettext_noop("A valid number is required."),
    gettext_noop("Authentication credentials were not provided."),
    gettext_noop("Could not satisfy the request Accept header."),
    gettext_noop("Datetime has wrong format. Use one of these formats instead: {format}."),
    gettext_noop("Ensure this field has at least {min_length} characters."),
    gettext_noop("Ensure this field has at least {min_length} elements."),
    gettext_noop("Ensure this field has no more than {max_length} characters."),
    gettext_noop("Ensure this field has no more than {max_length} elements."),
    gettext_noop("Ensure this filename has at most {max_length} characters (it has {length})."),
    gettext_noop("Ensure this value is greater than or equal to {min_value}."),
    gettext_noop("Ensure this value is less than or equal to {max_value}."),
    gettext_noop('Expected a dictionary of items but got type "{input_type}".'),
    gettext_noop('Expected a list of items but got type "{input_type}".'),
    gettext_noop("Incorrect authentication credentials."),
    gettext_noop("Incorrect type. Expected pk value, received {data_type}."),
    gettext_noop("Invalid data. Expected a dictionary, but got {datatype}."),
    gettext_noop("Invalid input."),
    gettext_noop('Invalid pk "{pk_value}" - object does not exist.'),
    gettext_noop("Invalid token header. No credentials provided."),
    gettext_noop("Invalid token header. Token string should not contain invalid characters."),
    gettext_noop("Invalid token header. Token string should not contain spaces."),
    gettext_noop("Invalid token."),
    gettext_noop("Invalid value."),
    gettext_noop("Malformed request."),
    gettext_noop("Must be a valid boolean."),
    gettext_noop("No filename could be determined."),
    gettext_noop("Not a valid string."),
    gettext_noop("Object with {slug_name}={value} does not exist."),
    gettext_noop("Request was throttled."),
    gettext_noop("String value too large."),
    gettext_noop("The submitted data was not a file. Check the encoding type on the form."),
    gettext_noop("This field may not be null."),
    gettext_noop("This selection may not be empty."),
    gettext_noop("This value does not match the required pattern."),
    gettext_noop('Unsupported media type "{media_type}" in request.'),
    ngettext_lazy(
        "Expected available in {wait} second.", "Expected available in {wait} seconds.", "wait"
    ),
    # tinhso.core.api
    gettext_noop("The request is too large."),
]
