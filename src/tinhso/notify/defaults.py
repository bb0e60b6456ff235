"""The default message of every event (created after every migrate; edit them in the admin).

Context of the dossier messages: ``code``, ``procedure``, ``applicant_name``, ``status``,
``tracking_url``, ``due_at``, ``comment``, ``fee_amount``, ``new_due_at``, and for
``payment_requested`` also ``purpose``, ``pay_at``, ``bank_details``, ``pay_by``; of ``due_soon``:
``code``, ``procedure``, ``due_at``, ``officer_name``, ``office_url``. Account messages
(``accounts.services``): the codes get ``code`` and ``minutes``; ``signup_taken`` gets
``login_url`` and ``reset_url``; ``password_changed`` gets ``changed_at`` and ``reset_url``;
``otp_enrolled`` (an officer's new authenticator app) gets ``enrolled_at``.
They are ``legally_required``: security messages nobody can opt out of; the two with codes are
``sensitive`` (their text is redacted once sent).
"""

DEFAULT_TEMPLATES = [
    {
        "event": "dossier.received",
        "description": "Hồ sơ đã được tiếp nhận (gửi người nộp)",
        "legally_required": False,
        "subject_vi": "Hồ sơ {{ code }} đã được tiếp nhận",
        "body_vi": (
            "Kính gửi {{ applicant_name }},\n\n"
            "Hồ sơ {{ code }} ({{ procedure }}) đã được tiếp nhận."
            "{% if due_at %} Ngày hẹn trả kết quả: {{ due_at }}.{% endif %}\n\n"
            "Theo dõi tình trạng hồ sơ tại: {{ tracking_url }}"
        ),
        "sms_vi": (
            "Hồ sơ {{ code }} đã được tiếp nhận{% if due_at %}, hẹn trả {{ due_at }}{% endif %}."
            " Tra cứu: {{ tracking_url }}"
        ),
        "subject_en": "Dossier {{ code }} has been received",
        "body_en": (
            "Dear {{ applicant_name }},\n\n"
            "Your dossier {{ code }} ({{ procedure }}) has been received."
            "{% if due_at %} Results are due on {{ due_at }}.{% endif %}\n\n"
            "Follow it at: {{ tracking_url }}"
        ),
        "sms_en": "Dossier {{ code }} received. Track it: {{ tracking_url }}",
    },
    {
        "event": "dossier.supplement_requested",
        "description": "Yêu cầu bổ sung, hoàn thiện hồ sơ (gửi người nộp)",
        "legally_required": True,
        "subject_vi": "Hồ sơ {{ code }} cần bổ sung, hoàn thiện",
        "body_vi": (
            "Kính gửi {{ applicant_name }},\n\n"
            "Hồ sơ {{ code }} ({{ procedure }}) cần được bổ sung, hoàn thiện."
            "{% if comment %}\nNội dung cần bổ sung: {{ comment }}{% endif %}\n\n"
            "Xem chi tiết và nộp bổ sung tại: {{ tracking_url }}"
        ),
        "sms_vi": "Hồ sơ {{ code }} cần bổ sung, hoàn thiện. Chi tiết: {{ tracking_url }}",
        "subject_en": "Dossier {{ code }} needs more documents",
        "body_en": (
            "Dear {{ applicant_name }},\n\n"
            "Your dossier {{ code }} ({{ procedure }}) needs to be supplemented."
            "{% if comment %}\nWhat is needed: {{ comment }}{% endif %}\n\n"
            "See the details and supplement it at: {{ tracking_url }}"
        ),
        "sms_en": "Dossier {{ code }} needs more documents. Details: {{ tracking_url }}",
    },
    {
        "event": "dossier.payment_requested",
        "description": "Đề nghị thực hiện nghĩa vụ tài chính (gửi người nộp)",
        "legally_required": True,
        "subject_vi": "Hồ sơ {{ code }}: đề nghị nộp phí, lệ phí",
        "body_vi": (
            "Kính gửi {{ applicant_name }},\n\n"
            "Hồ sơ {{ code }} ({{ procedure }}) cần thực hiện nghĩa vụ tài chính"
            "{% if fee_amount %}: {{ fee_amount }} đồng{% endif %}."
            "{% if purpose %}\nKhoản phải nộp: {{ purpose }}{% endif %}"
            "{% if pay_at %}\nCách thức, địa điểm nộp: {{ pay_at }}{% endif %}"
            "{% if bank_details %}\nChuyển khoản: {{ bank_details }}{% endif %}"
            "{% if pay_by %}\nHạn nộp: {{ pay_by }}{% endif %}"
            "{% if comment %}\nGhi chú: {{ comment }}{% endif %}\n\n"
            "Thời gian chờ nộp không tính vào thời hạn giải quyết. "
            "Xem chi tiết tại: {{ tracking_url }}"
        ),
        "sms_vi": (
            "Hồ sơ {{ code }} cần nộp{% if fee_amount %} {{ fee_amount }} đồng{% endif %}"
            "{% if purpose %} ({{ purpose }}){% endif %}{% if pay_by %} trước {{ pay_by }}"
            "{% endif %}. Chi tiết: {{ tracking_url }}"
        ),
        "subject_en": "Dossier {{ code }}: fees to pay",
        "body_en": (
            "Dear {{ applicant_name }},\n\n"
            "Fees are due for your dossier {{ code }} ({{ procedure }})"
            "{% if fee_amount %}: {{ fee_amount }} VND{% endif %}."
            "{% if purpose %}\nFor: {{ purpose }}{% endif %}"
            "{% if pay_at %}\nHow and where to pay: {{ pay_at }}{% endif %}"
            "{% if bank_details %}\nBank transfer: {{ bank_details }}{% endif %}"
            "{% if pay_by %}\nPay by: {{ pay_by }}{% endif %}"
            "{% if comment %}\nNote: {{ comment }}{% endif %}\n\n"
            "The time until you pay is not counted. See the details at: {{ tracking_url }}"
        ),
        "sms_en": (
            "Dossier {{ code }}: pay{% if fee_amount %} {{ fee_amount }} VND{% endif %}"
            "{% if pay_by %} by {{ pay_by }}{% endif %}. Details: {{ tracking_url }}"
        ),
    },
    {
        "event": "dossier.result_ready",
        "description": "Đã có kết quả giải quyết hồ sơ (gửi người nộp)",
        "legally_required": False,
        "subject_vi": "Hồ sơ {{ code }} đã có kết quả",
        "body_vi": (
            "Kính gửi {{ applicant_name }},\n\n"
            "Hồ sơ {{ code }} ({{ procedure }}) đã có kết quả giải quyết: {{ status }}."
            "{% if comment %}\n{{ comment }}{% endif %}\n\n"
            "Xem chi tiết và cách nhận kết quả tại: {{ tracking_url }}"
        ),
        "sms_vi": "Hồ sơ {{ code }} đã có kết quả: {{ status }}. Chi tiết: {{ tracking_url }}",
        "subject_en": "Dossier {{ code }}: the result is ready",
        "body_en": (
            "Dear {{ applicant_name }},\n\n"
            "Your dossier {{ code }} ({{ procedure }}) has been decided: {{ status }}."
            "{% if comment %}\n{{ comment }}{% endif %}\n\n"
            "See the details and how to collect the result at: {{ tracking_url }}"
        ),
        "sms_en": "Dossier {{ code }} is decided: {{ status }}. Details: {{ tracking_url }}",
    },
    {
        "event": "dossier.apology",
        "description": "Thư xin lỗi và hẹn lại ngày trả kết quả (gửi người nộp)",
        "legally_required": True,
        "subject_vi": "Thư xin lỗi về việc chậm trả kết quả hồ sơ {{ code }}",
        "body_vi": (
            "Kính gửi {{ applicant_name }},\n\n"
            "Cơ quan giải quyết chân thành xin lỗi vì hồ sơ {{ code }} ({{ procedure }}) "
            "chưa có kết quả đúng hẹn."
            "{% if comment %}\nLý do: {{ comment }}{% endif %}"
            "{% if new_due_at %}\nNgày hẹn trả kết quả mới: {{ new_due_at }}.{% endif %}\n\n"
            "Xem thư xin lỗi và theo dõi hồ sơ tại: {{ tracking_url }}"
        ),
        "sms_vi": (
            "Xin lỗi vì hồ sơ {{ code }} chậm trả kết quả."
            "{% if new_due_at %} Hẹn lại: {{ new_due_at }}.{% endif %} Chi tiết: {{ tracking_url }}"
        ),
        "subject_en": "Apology: dossier {{ code }} is late",
        "body_en": (
            "Dear {{ applicant_name }},\n\n"
            "We apologise that your dossier {{ code }} ({{ procedure }}) was not decided on time."
            "{% if comment %}\nReason: {{ comment }}{% endif %}"
            "{% if new_due_at %}\nNew appointment: {{ new_due_at }}.{% endif %}\n\n"
            "Read the letter and follow the dossier at: {{ tracking_url }}"
        ),
        "sms_en": (
            "Sorry: dossier {{ code }} is late.{% if new_due_at %} New date: {{ new_due_at }}."
            "{% endif %} Details: {{ tracking_url }}"
        ),
    },
    {
        "event": "dossier.due_soon",
        "description": "Nhắc cán bộ: hồ sơ sắp đến hạn",
        "legally_required": False,
        "subject_vi": "Hồ sơ {{ code }} sắp đến hạn",
        "body_vi": (
            "Kính gửi {{ officer_name }},\n\n"
            "Hồ sơ {{ code }} ({{ procedure }}) được giao cho anh/chị sẽ đến hạn "
            "vào {{ due_at }}.\n\nMở hồ sơ: {{ office_url }}"
        ),
        "sms_vi": "Hồ sơ {{ code }} sắp đến hạn ({{ due_at }}). Mở hồ sơ: {{ office_url }}",
        "subject_en": "Dossier {{ code }} is due soon",
        "body_en": (
            "Dear {{ officer_name }},\n\n"
            "Dossier {{ code }} ({{ procedure }}), assigned to you, is due on {{ due_at }}.\n\n"
            "Open it: {{ office_url }}"
        ),
        "sms_en": "Dossier {{ code }} is due {{ due_at }}. Open it: {{ office_url }}",
    },
    {
        "event": "account.signup_code",
        "description": "Mã xác nhận đăng ký tài khoản",
        "legally_required": True,
        "sensitive": True,
        "subject_vi": "Mã xác nhận đăng ký tài khoản: {{ code }}",
        "body_vi": (
            "Mã xác nhận đăng ký tài khoản Tỉnh Số của bạn là {{ code }}.\n\n"
            "Mã có hiệu lực trong {{ minutes }} phút. Không cung cấp mã này cho bất kỳ ai, "
            "kể cả người tự xưng là cán bộ.\n\n"
            "Nếu bạn không đăng ký, hãy bỏ qua thư này."
        ),
        "sms_vi": (
            "Mã xác nhận đăng ký Tỉnh Số: {{ code }} (hiệu lực {{ minutes }} phút). "
            "Không cung cấp mã này cho bất kỳ ai."
        ),
        "subject_en": "Your registration code: {{ code }}",
        "body_en": (
            "Your Tỉnh Số registration code is {{ code }}.\n\n"
            "It is valid for {{ minutes }} minutes. Never give it to anyone, even someone "
            "claiming to be an officer.\n\n"
            "If you did not register, ignore this message."
        ),
        "sms_en": "Tỉnh Số registration code: {{ code }} (valid {{ minutes }} min). Never share it.",
    },
    {
        "event": "account.signup_taken",
        "description": "Có người thử đăng ký bằng địa chỉ đã có tài khoản (gửi chủ tài khoản)",
        "legally_required": True,
        "subject_vi": "Có người vừa thử đăng ký tài khoản bằng địa chỉ của bạn",
        "body_vi": (
            "Vừa có người thử đăng ký một tài khoản Tỉnh Số mới bằng số điện thoại hoặc địa chỉ "
            "thư điện tử này, nhưng bạn đã có tài khoản.\n\n"
            "Nếu đó là bạn: hãy đăng nhập tại {{ login_url }}, hoặc đặt lại mật khẩu tại "
            "{{ reset_url }} nếu bạn quên.\n\n"
            "Nếu không phải bạn: không cần làm gì, tài khoản của bạn không thay đổi."
        ),
        "sms_vi": (
            "Có người vừa thử đăng ký Tỉnh Số bằng số này, nhưng bạn đã có tài khoản. Nếu là "
            "bạn, hãy đăng nhập hoặc đặt lại mật khẩu: {{ reset_url }}"
        ),
        "subject_en": "Someone tried to register with your address",
        "body_en": (
            "Someone just tried to register a new Tỉnh Số account with this phone number or "
            "e-mail address, but you already have an account.\n\n"
            "If it was you: sign in at {{ login_url }}, or set a new password at "
            "{{ reset_url }} if you forgot it.\n\n"
            "If it was not you: nothing to do, your account has not changed."
        ),
        "sms_en": (
            "Someone tried to register on Tỉnh Số with this number; you already have an account."
            " If it was you, sign in or reset your password: {{ reset_url }}"
        ),
    },
    {
        "event": "account.password_reset_code",
        "description": "Mã đặt lại mật khẩu",
        "legally_required": True,
        "sensitive": True,
        "subject_vi": "Mã đặt lại mật khẩu: {{ code }}",
        "body_vi": (
            "Mã đặt lại mật khẩu tài khoản Tỉnh Số của bạn là {{ code }}.\n\n"
            "Mã có hiệu lực trong {{ minutes }} phút. Không cung cấp mã này cho bất kỳ ai, "
            "kể cả người tự xưng là cán bộ.\n\n"
            "Nếu bạn không yêu cầu, hãy bỏ qua thư này: mật khẩu của bạn không thay đổi."
        ),
        "sms_vi": (
            "Mã đặt lại mật khẩu Tỉnh Số: {{ code }} (hiệu lực {{ minutes }} phút). "
            "Không cung cấp mã này cho bất kỳ ai."
        ),
        "subject_en": "Your password reset code: {{ code }}",
        "body_en": (
            "Your Tỉnh Số password reset code is {{ code }}.\n\n"
            "It is valid for {{ minutes }} minutes. Never give it to anyone, even someone "
            "claiming to be an officer.\n\n"
            "If you did not ask for it, ignore this message: your password has not changed."
        ),
        "sms_en": "Tỉnh Số password reset code: {{ code }} (valid {{ minutes }} min). Never share it.",
    },
    {
        "event": "account.password_changed",
        "description": "Mật khẩu tài khoản vừa được đổi",
        "legally_required": True,
        "subject_vi": "Mật khẩu tài khoản của bạn vừa được đổi",
        "body_vi": (
            "Mật khẩu tài khoản Tỉnh Số của bạn đã được đổi lúc {{ changed_at }}; mọi phiên "
            "đăng nhập khác đã kết thúc.\n\n"
            "Nếu không phải bạn đổi, hãy đặt lại mật khẩu ngay tại {{ reset_url }} và báo cho "
            "bộ phận một cửa."
        ),
        "sms_vi": (
            "Mật khẩu Tỉnh Số của bạn vừa được đổi lúc {{ changed_at }}. Nếu không phải bạn, "
            "hãy đặt lại ngay: {{ reset_url }}"
        ),
        "subject_en": "Your password was changed",
        "body_en": (
            "The password of your Tỉnh Số account was changed at {{ changed_at }}; every other "
            "session has been signed out.\n\n"
            "If it was not you, set a new password at once at {{ reset_url }} and tell the "
            "one-stop desk."
        ),
        "sms_en": (
            "Your Tỉnh Số password was changed at {{ changed_at }}. If it was not you, reset it"
            " now: {{ reset_url }}"
        ),
    },
    {
        "event": "account.otp_enrolled",
        "description": "Một ứng dụng xác thực mới vừa được thiết lập cho tài khoản",
        "legally_required": True,
        "subject_vi": "Ứng dụng xác thực mới cho tài khoản của bạn",
        "body_vi": (
            "Một ứng dụng xác thực mới vừa được thiết lập cho tài khoản Tỉnh Số của bạn lúc "
            "{{ enrolled_at }}.\n\n"
            "Nếu không phải bạn, hãy báo ngay cho quản trị viên để xoá ứng dụng đó và đổi mật "
            "khẩu."
        ),
        "sms_vi": (
            "Tài khoản Tỉnh Số của bạn vừa thiết lập ứng dụng xác thực mới lúc {{ enrolled_at }}."
            " Nếu không phải bạn, hãy báo ngay cho quản trị viên."
        ),
        "subject_en": "A new authenticator app for your account",
        "body_en": (
            "A new authenticator app was set up for your Tỉnh Số account at {{ enrolled_at }}."
            "\n\nIf it was not you, tell the administrator at once so that it is removed, and "
            "change your password."
        ),
        "sms_en": (
            "A new authenticator app was set up for your Tỉnh Số account at {{ enrolled_at }}. "
            "If it was not you, tell the administrator now."
        ),
    },
]
