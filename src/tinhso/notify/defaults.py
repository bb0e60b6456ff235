"""The default message of every event (created by migration 0002; edit them in the admin).

Context of the dossier messages: ``code``, ``procedure``, ``applicant_name``, ``status``,
``tracking_url``, ``due_at``, ``comment``, ``fee_amount``, ``new_due_at``; of ``due_soon``:
``code``, ``procedure``, ``due_at``, ``officer_name``, ``office_url``.
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
            "{% if comment %}\nGhi chú: {{ comment }}{% endif %}\n\n"
            "Xem chi tiết tại: {{ tracking_url }}"
        ),
        "sms_vi": (
            "Hồ sơ {{ code }} cần nộp phí, lệ phí{% if fee_amount %} {{ fee_amount }} đồng"
            "{% endif %}. Chi tiết: {{ tracking_url }}"
        ),
        "subject_en": "Dossier {{ code }}: fees to pay",
        "body_en": (
            "Dear {{ applicant_name }},\n\n"
            "Fees are due for your dossier {{ code }} ({{ procedure }})"
            "{% if fee_amount %}: {{ fee_amount }} VND{% endif %}."
            "{% if comment %}\nNote: {{ comment }}{% endif %}\n\n"
            "See the details at: {{ tracking_url }}"
        ),
        "sms_en": "Fees are due for dossier {{ code }}. Details: {{ tracking_url }}",
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
]
