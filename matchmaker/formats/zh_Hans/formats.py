"""中文日期：日期一种写法，时间一种写法，并注明时区（北京时间，即 Asia/Shanghai）。"""

DATE_FORMAT = "Y年n月j日"
SHORT_DATE_FORMAT = "Y年n月j日"
DATETIME_FORMAT = "Y年n月j日 H:i（北京时间）"
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
