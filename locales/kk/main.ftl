# Dauys қосымшасы — қазақша.
# Хабарлама идентификаторлары kk, ru және en файлдарында бірдей (tests/i18n тексереді).

app-name = Dauys
language-name = Қазақша
choose-language = Тілді таңдаңыз
loading = Жүктелуде…
continue = Жалғастыру
back-to-list = ← Тізімге оралу
skip-to-content = Мазмұнға өту

## Пішімдер
money = { $amount }{"\u00A0"}₸
date = { $year }{"\u00A0"}ж. { $day } { $month }
datetime = { $date }, { $time }
month-1 = қаңтар
month-2 = ақпан
month-3 = наурыз
month-4 = сәуір
month-5 = мамыр
month-6 = маусым
month-7 = шілде
month-8 = тамыз
month-9 = қыркүйек
month-10 = қазан
month-11 = қараша
month-12 = желтоқсан

## Кіру
signin-title = Кіру
signin-intro = ЖСН-іңізді енгізіңіз. Сізге тіркелген телефон нөміріне SMS арқылы бір реттік код жібереміз.
signin-server = Сервер
signin-server-label = Сервер мекенжайы
signin-server-hint = Әкімдік басқа мекенжай бермесе, өзгертпеңіз.
signin-iin = ЖСН (12 сан)
signin-iin-hint = Жеке сәйкестендіру нөміріңіз, жеке куәлігіңіздегідей.
signin-get-code = Код алу
signin-code-sent = Код { $phone } нөміріне жіберілді.
signin-code-sent-unknown = Бұл ЖСН осында тіркелген болса, код оның телефонына жіберілді.
signin-code = SMS-тегі бір реттік код
signin-verify = Кіру
signin-resend = Жаңа код жіберу
signed-out = Сіз қосымшадан шықтыңыз.
kiosk-signed-out-idle = Қосымша ұзақ уақыт қолданылмағандықтан, сіз шығарылдыңыз. Деректеріңіз сақтаулы.
locality-title = Елді мекеніңіз
locality-intro = Бюджеті мен өтініштерін бақылағыңыз келетін қаланы немесе ауылды таңдаңыз. Кейін өзгертуге болады.
locality-label = Елді мекен

## Байланыс
conn-online = Желіде
conn-online-synced = Желіде · соңғы синхрондау { $time }
conn-offline = Байланыс жоқ — әрекеттеріңіз осы құрылғыда сақталады
conn-offline-since = { $time } бастап байланыс жоқ — әрекеттеріңіз осы құрылғыда сақталады
conn-syncing = Жіберілуде… жіберілді: { $sent }
sync-now = Синхрондау
outbox-waiting = { $count ->
    [0] Жіберуді күтетін әрекет жоқ
   *[other] Жіберуді { $count } әрекет күтуде
}

## Мәзір
nav-label = Басты мәзір
nav-home = Басты бет
nav-proposals = Ұсыныстар
nav-appeals = Өтініштер
nav-outbox = Шығыс
nav-settings = Баптаулар

## Басты бет
home-cycles = Халық бюджеті
home-no-cycles = Қазір елді мекеніңізде ашық бюджет кезеңі жоқ.
home-appeals = Менің өтініштерім
home-no-appeals = Сізде әзірге өтініш жоқ.
cycle-budget = Бюджеті: { $amount }
cycle-proposals = Ұсыныстар
cycle-vote = Дауыс беру
cycle-results = Қорытынды
phase-until = { $date } дейін ({ $days ->
    [0] бүгін аяқталады
   *[other] { $days } күн қалды
})
phase-collecting = Ұсыныстар жинау
phase-moderation = Модерация
phase-expert-review = Сараптама
phase-voting = Дауыс беру
phase-tallying = Дауыстарды санау
phase-implementation = Іске асырылуда
phase-closed = Аяқталды

## Ұсыныстар
proposals-title = Ұсыныстар
proposals-search = Іздеу
proposals-category = Санат
proposals-category-all = Барлық санат
proposals-count = { $count ->
    [0] Ештеңе табылмады
   *[other] { $count } ұсыныс
}
proposal-title = Ұсыныс
proposal-cost = Құны
proposal-expert-cost = Сарапшылар бағасы
proposal-expert-note = Сарапшылар қорытындысы
proposal-location = Орны
map-open = Картадан ашу (OpenStreetMap, браузерде)
map-open-failed = Браузер ашылмады. Картаның мекенжайы:
proposal-votes = Дауыстар
proposal-progress = Жұмыс барысы
proposal-history = Тарихы
proposal-status-submitted = Берілді
proposal-status-in-moderation = Тексерілуде
proposal-status-needs-changes = Түзету қажет
proposal-status-rejected = Қабылданбады
proposal-status-accepted = Қабылданды
proposal-status-expert-review = Сараптамада
proposal-status-on-ballot = Бюллетеньде
proposal-status-selected = Таңдалды
proposal-status-not-selected = Таңдалмады
proposal-status-in-implementation = Іске асырылуда
proposal-status-done = Орындалды
proposal-status-withdrawn = Кері алынды
category-accessibility = Кедергісіз орта
category-children = Балалар
category-culture = Мәдениет
category-ecology = Экология және көгалдандыру
category-safety = Қауіпсіздік
category-sport = Спорт
category-transport = Көлік және жолдар
category-education = Білім
category-health = Денсаулық
category-other = Басқа
comments-title = Пікірлер
comments-none = Әзірге пікір жоқ.
comment-hidden = Модератор жасырған.
comment-hidden-reason = Модератор жасырды: { $reason }
comment-add = Сіздің пікіріңіз
comment-send = Пікір жіберу

## Бюллетень
ballot-title = Бюллетень
ballot-rules-both = Жалпы құны { $budget } аспайтын { $max } жобаға дейін таңдаңыз.
ballot-rules-max = { $max } жобаға дейін таңдаңыз.
ballot-rules-budget = Жалпы құны { $budget } аспайтын жобаларды таңдаңыз.
ballot-closes = Дауыс беру { $date } жабылады. Оған дейін дауысыңызды өзгертуге болады.
ballot-closed = Бұл кезеңде дауыс беру жүріп жатқан жоқ.
ballot-meter = Сіздің таңдауыңыз
ballot-used = Бюджеттен пайдаланылды: { $used } · қалды: { $left }
ballot-chosen-of = Таңдалған жобалар: { $count } / { $max }
ballot-chosen = Таңдалған жобалар: { $count }
ballot-too-many = Ең көбі { $max } жоба таңдауға болады. Алдымен басқа біреуінен белгіні алыңыз.
ballot-over-budget = Бұл жобаның құны { $cost }, ал бюджетте тек { $left } қалды. Алдымен басқа жобадан белгіні алыңыз.
ballot-choose = Бюллетеньдегі жобалар
ballot-to-review = Таңдауды тексеру
ballot-review = Таңдауыңызды тексеріңіз
ballot-review-empty = Сіз бірде-бір жоба таңдаған жоқсыз. Бос бюллетень дауысыңызды қайтарып алады.
ballot-total = Барлығы: { $amount }
ballot-cast = Дауыс беру
ballot-back = Таңдауды өзгерту
ballot-saved = Осы құрылғыда сақталды — байланыс пайда болғанда жіберіледі. Дауыс әлі есептелген жоқ.
ballot-saved-at = Сақталды: { $time }
ballot-counted = Дауысыңыз есептелді.
ballot-receipt = Түбіртек:
ballot-counted-at = Есептелді: { $time }
ballot-change-hint = Дауыс беру ашық тұрғанда дауысыңызды өзгертуге болады; соңғысы ғана есептеледі.
ballot-rejected = Дауысыңыз қабылданбады.

## Қорытынды
results-title = Қорытынды
results-none = Қорытынды әлі жарияланған жоқ.
results-voters = Дауыс бергендер
results-budget-used = Пайдаланылған бюджет
results-budget-of = { $budget } ішінен { $used }
results-chart-caption = Жобалар бойынша дауыстар; таңдалған жобалар қоюырақ.
results-project = Жоба
results-votes = Дауыстар
results-outcome = Нәтиже
results-selected = Таңдалды
results-not-selected = Таңдалмады

## Өтініштер
appeals-title = Өтініштер
appeals-drafts = Жобалар (черновиктер)
appeals-mine = Менің өтініштерім
appeal-title = Өтініш
appeal-new = Жаңа өтініш
appeal-untitled = Тақырыпсыз өтініш
appeal-type = Өтініш түрі
appeal-type-statement = Өтініш
appeal-type-statement-help = Құқығыңызды іске асыруға көмек сұрайсыз немесе мәселе не бұзушылық туралы хабарлайсыз.
appeal-type-complaint = Шағым
appeal-type-complaint-help = Лауазымды тұлғаның шешімі, әрекеті немесе әрекетсіздігі құқығыңызды не мүддеңізді бұзды.
appeal-type-proposal = Ұсыныс
appeal-type-proposal-help = Қызметті, ережені немесе әкімдік жұмысын жақсарту идеясы.
appeal-type-request = Сұрау салу
appeal-type-request-help = Бір нәрсені білгіңіз келеді: кесте, шешім, түсіндірме.
appeal-type-response = Пікір
appeal-type-response-help = Әкімдік жариялаған шешім немесе жоба туралы пікіріңіз.
appeal-to = Кімге
appeal-to-choose = Әкімдікті немесе бөлімді таңдаңыз
appeal-subject = Тақырыбы
appeal-body = Өтініш мәтіні
appeal-location = Орны (міндетті емес)
appeal-location-hint = Өтініш қатысты жердің координаттары. Сіздің орналасқан жеріңіз өздігінен қосылмайды.
appeal-lat = Ендік
appeal-lon = Бойлық
appeal-photos = Фотосуреттер (міндетті емес)
appeal-photos-hint = Жіберер алдында фотосуреттер кішірейтіледі, түсірілген жер туралы жасырын деректер өшіріледі.
appeal-photo-remove = { $name } жою
appeal-public = Көпшілікке ашық
appeal-public-help = Ашық өтінішті және оған берілген жауапты кез келген адам атыңызсыз оқи алады. Жабық қалдыру үшін белгілемеңіз.
appeal-private = Жабық
appeal-visibility = Қолжетімділік
appeal-draft-saved = Черновик осы құрылғыда сақталды.
appeal-draft-saving = Черновик сақталуда…
appeal-submit = Өтінішті жіберу
appeal-discard = Черновикті жою
appeal-queued = Осы құрылғыда сақталды — өтініш байланыс пайда болғанда жіберіледі.
appeal-sent = Өтініш жіберілді.
appeal-rejected-edit = Әкімдік сервері бұл өтінішті қабылдамады. Түзетіп, қайта жіберіңіз.
appeal-reg = Тіркеу нөмірі
appeal-reg-number = Тіркеу нөмірі: { $number }
appeal-due = Жауап беру мерзімі
appeal-answer = Жауап
appeal-timeline = Не болды
due-left = { $date } дейін — { $days ->
    [0] мерзімі бүгін
   *[other] { $days } жұмыс күні қалды
}
due-overdue = { $date } дейін — { $days } жұмыс күні кешіктірілді
appeal-status-submitted = Берілді
appeal-status-registered = Тіркелді
appeal-status-redirected = Басқа органға жіберілді
appeal-status-extended = Мерзімі ұзартылды
appeal-status-answered = Жауап берілді
appeal-status-dismissed = Қараусыз қалдырылды

## Жіберу күйі
delivery-queued = Осы құрылғыда күтуде
delivery-sending = Жіберілуде…
delivery-delivered = Жеткізілді
delivery-rejected = Қабылданбады

## Шығыс
outbox-title = Шығыс
outbox-intro = Осы құрылғыда жасаған және сервер әлі растамаған әрекеттеріңіздің бәрі.
outbox-empty = Жіберуді күтетін ештеңе жоқ. Бәрі жіберілді.
outbox-retry = Қайталау
outbox-edit = Түзетіп, қайта жіберу
outbox-discard = Бас тарту
outbox-attempts = { $count } әрекет
op-appeal-submit = Өтініш
op-proposal-submit = Ұсыныс
op-comment-add = Пікір
op-ballot-cast = Дауыс
op-media-attach = Фото

## Баптаулар
settings-title = Баптаулар
settings-language = Тіл
settings-display = Көрініс
settings-text-size = Мәтін өлшемі
settings-contrast = Жоғары контраст
settings-kiosk = Ортақ құрылғы (киоск)
settings-kiosk-help = Ортақ құрылғыда: осынша минут қолданылмаса, адамды шығару және оның деректерін жіберілгеннен кейін құрылғыдан өшіру. 0 — өшірулі.
settings-kiosk-minutes = Неше минут әрекетсіздіктен кейін шығару
settings-profiles = Осы құрылғыдағы адамдар
settings-profile-active = Кірген
settings-profile-switch = { $name } профиліне ауысу
settings-sign-out = Шығу
settings-about = Қосымша туралы
settings-version = Dauys, нұсқасы { $version }
privacy-title = Не қайда сақталады
privacy-device = Осы құрылғыда: черновиктеріңіз, жіберілмеген әрекеттеріңіз және елді мекеніңіздің ұсыныстарының көшірмесі — әр адамға бөлек шифрланған файлда.
privacy-server = Әкімдік серверінде: сіз жіберген өтініштер, пікірлер, ұсыныстар және дауысыңыз. Дауыстар атыңызсыз есептеледі.
privacy-kiosk = Ортақ құрылғыдан кетерде шығыңыз; киоск режимінде деректеріңіз жіберілгеннен кейін өшіріледі.
privacy-iin = ЖСН тек кіру үшін қажет; сервер оны қайта оқуға келмейтін түрде сақтайды.

## Қателер (error-<код>)
error-details = Қолдау қызметіне арналған мәлімет
error-required = Бұл өрісті толтырыңыз.
error-required-field = Толтырыңыз: { $field }.
error-network = Серверге қосылу мүмкін емес. Әрекеттеріңіз осы құрылғыда сақталды.
error-insecure-server = Бұл сервер мекенжайы қауіпсіз емес (қарапайым http). https мекенжайын пайдаланыңыз.
error-photo = Бұл файлды фотосурет ретінде оқу мүмкін болмады. JPEG немесе PNG суретін таңдаңыз.
error-not-signed-in = Алдымен кіріңіз.
error-invalid-iin-format = ЖСН дәл 12 саннан тұрады.
error-invalid-iin-checksum = ЖСН-де қате бар: соңғы саны сәйкес келмейді. Нөмірді жеке куәлігіңізден тексеріңіз.
error-invalid-iin-date = Бұл ЖСН-де дұрыс туған күн жоқ. Нөмірді жеке куәлігіңізден тексеріңіз.
error-invalid-field = Кейбір деректер толтырылмаған немесе қате толтырылған.
error-invalid-iin = ЖСН қате.
error-invalid-json = Қосымша сервер түсінбеген деректер жіберді. Қосымшаны жаңартыңыз.
error-unknown-kind = Сервер бұл әрекетті білмейді. Қосымшаны жаңартыңыз.
error-bad-signature = Осы құрылғының қолтаңбасы қабылданбады. Шығып, қайта кіріңіз.
error-not-found = Табылмады.
error-unauthorized = Сеанс аяқталды. Қайта кіріңіз.
error-forbidden = Бұл әрекетке құқығыңыз жоқ.
error-not-eligible = Бұл елді мекенде дауыс бере алмайсыз.
error-under-age = Жасыңызға байланысты бұл кезеңде әзірге дауыс бере алмайсыз.
error-voting-closed = Дауыс беру жабылып қалды, сондықтан бұл дауыс есептелмеді.
error-phase-closed = Бұл кезең жабылды.
error-over-budget = Таңдалған жобалардың құны бюджеттен асады.
error-too-many-projects = Тым көп жоба таңдалды.
error-duplicate-project = Жоба екі рет таңдалды.
error-not-on-ballot = Таңдалған жоба бюллетеньде жоқ.
error-invalid-transition = Бұл кезеңде мұны істеуге болмайды.
error-deadline-passed = Мерзімі өтті.
error-media-missing = Фотосурет әлі жүктелген жоқ.
error-rate-limited = Әрекет тым көп. Бірнеше минут күтіп, қайталаңыз.
error-code-expired = Кодтың мерзімі өтті. Жаңасын сұраңыз.
error-code-wrong = Код қате. SMS-ті тексеріп, қайталаңыз.
error-payload-too-large = Жіберу үшін көлемі тым үлкен.
error-batch-too-large = Бір уақытта әрекет тым көп. Олар бөліктермен жіберіледі.
error-internal = Бірдеңе дұрыс болмады. Қайталап көріңіз.

# How the cycle's counting rule picks winners (ballot and results screens)
counting-rule-greedy = Жеңімпаздар қалай анықталады: жобалар дауыс санына қарай реттеледі; тізім бойынша қалған бюджетке әлі сыятын әр жоба қаржыландырылады.
counting-rule-greedy-threshold = Жеңімпаздар қалай анықталады: ең аз дауыс санын жинаған жобалар ғана жеңе алады; олар дауыс санына қарай реттеліп, бюджетке сыйғанша қаржыландырылады.
counting-min-votes = Ең аз дауыс саны — { $count }.
counting-rule-equal-shares = Жеңімпаздар қалай анықталады (тең үлестер әдісі): бюджет дауыс бергендерге тең бөлінеді; жақтаушылары өз үлестерінен бірге төлей алатын жоба қаржыландырылады — әр тұрғындар тобы бюджеттің әділ бөлігін алады.

## Қызметкерлер консолі (crates/server/src/console, templates/console)
console-name = Dauys қызметкерлер консолі
console-skip-to-content = Мазмұнға өту
console-nav-label = Консоль бөлімдері
console-language-label = Тіл
console-dashboard-title = Жиынтық
console-appeals-title = Өтініштер
console-appeal-title = Өтініш
console-proposals-title = Ұсыныстар
console-sign-in-title = Қызметкерлердің кіруі
console-sign-in-intro = Әкімдік қызметкерлеріне, модераторларға, сарапшыларға және әкімшілерге арналған. ЖСН және телефоныңызға жіберілген бір реттік кодпен кіріңіз.
console-iin-label = ЖСН
console-send-code = Код алу
console-code-label = Бір реттік код
console-code-sent = Код { $phone } нөміріне жіберілді.
console-code-sent-maybe = Бұл ЖСН тіркелген болса, код көрсетілген телефонға жіберілді.
console-sign-in = Кіру
console-sign-out = Шығу
console-count-new = жаңа (тіркелмеген)
console-count-due-week = мерзімі бір апта ішінде
console-count-overdue = мерзімі өткен
console-count-moderation = модерацияны күтуде
console-count-review = сараптаманы күтуде
console-days-over = мерзімінен { $days } жұмыс күні асты
console-filter-status = Мәртебе
console-filter-type = Түрі
console-filter-any = Кез келген
console-filter-overdue = Тек мерзімі өткендер
console-filter-text = Мәтін
console-filter-body = Кімге жолданған
console-filter-due-before = Мерзімі кешіктірмей
console-filter-apply = Қолдану
console-queue-empty = Мұнда ештеңе жоқ.
console-col-subject = Тақырып
console-col-type = Түрі
console-col-status = Мәртебе
console-col-addressee = Кімге
console-col-number = Тіркеу нөмірі
console-col-due = Мерзімі
console-pages-label = Беттер
console-page-prev = Алдыңғы бет
console-page-next = Келесі бет
console-submitted-on = Берілген күні
console-visibility = Қолжетімділік
console-public = Жария
console-private = Жария емес
console-applicant = Өтініш беруші
console-applicant-protected = Жеке басы қорғалған: сервер ЖСН-ді тек кілттік хеш түрінде сақтайды. Жауап өтініш берушіге қосымша арқылы жетеді.
console-location = Орны
console-open-map = Картадан ашу
console-photos = Суреттер
console-photo-alt = { $number }-сурет
console-text = Мәтін
console-answer = Жауап
console-legal-dates = Заңды мерзімдер
console-not-registered = Әлі тіркелмеген
console-redirect-by = Басқа органға жіберу мерзімі
console-extension-cap = Ұзартудың ең соңғы мерзімі
console-timeline = Қарау барысы
console-reason = Себебі (жарияланады)
console-redirect-to = Қайда жіберу
console-extend-until = Жаңа мерзім
console-action-register = Тіркеу
console-action-answer = Жауап жіберу
console-action-redirect = Басқа органға жіберу
console-action-extend = Мерзімді ұзарту
console-action-dismiss = Қараусыз қалдыру
console-flash-registered = Өтініш тіркелді.
console-flash-answered = Жауап жіберілді.
console-flash-redirected = Өтініш басқа органға жіберілді.
console-flash-extended = Мерзім ұзартылды.
console-flash-dismissed = Өтініш қараусыз қалдырылды.
console-staff-only-title = Тек әкімдік қызметкерлеріне арналған
console-staff-only-text = Бұл консоль әкімдік қызметкерлеріне арналған: лауазымды адамдарға, модераторларға, сарапшыларға және әкімшілерге. Тұрғындар өтініштерді Dauys қосымшасы арқылы жіберіп, бақылайды.
console-back-to-sign-in = Кіру бетіне оралу
console-csrf-title = Форманың мерзімі өтті
console-csrf-text = Бұл форманы тексеру мүмкін болмады, сондықтан ештеңе өзгертілмеді. Бетті қайта ашып, әрекетті қайталаңыз.
console-back-to-dashboard = Жиынтыққа оралу
console-not-found-title = Табылмады
console-not-found-text = Мұндай бет жоқ немесе ол сізге қолжетімсіз.
console-error-title = Бірдеңе дұрыс болмады
console-error-text = Сервер сұрауды орындай алмады. Ештеңе жоғалған жоқ; бір минуттан кейін қайталаңыз.
console-category = Санат
console-cost = Құны
console-action-accept = Қабылдау
console-action-needs-changes = Пысықтауға қайтару
console-action-reject = Қабылдамау
console-flash-accepted = Ұсыныс қабылданды.
console-flash-needs-changes = Авторға ұсынысты пысықтау ұсынылды.
console-flash-rejected = Ұсыныс қабылданбады; себебі жарияланды.

## console: administration and audit
console-admin-title = Әкімшілік
console-audit-title = Әрекеттер журналы
console-census-title = Тұрғындар тізімін жүктеу
console-grant-title = Рөл беру
console-role = Рөл
console-locality = Елді мекен
console-staff-label = Аты-жөні және лауазымы
console-action-grant = Беру
console-staff-title = Қызметкерлер
console-phone = Телефон
console-col-action = Әрекет
console-action-revoke = Қайтарып алу
console-everywhere = Барлық жерде
console-department = Бөлім
console-department-all = Бүкіл елді мекен
console-department-hint = Бір бөлімнің қызметкеріне: ол тек осы бөлімге жолданған өтініштерді көріп, жауап береді.
console-role-citizen = Тұрғын
console-role-moderator = Модератор
console-role-expert = Сарапшы
console-role-official = Әкімдік қызметкері
console-role-admin = Әкімші
console-flash-granted = Рөл берілді.
console-flash-revoked = Рөл қайтарып алынды.
console-census-intro = iin, phone, locality бағандары бар CSV файлы (тақырып жолы болуы мүмкін). Дұрыс жолдар жүктеледі; қатесі бар жолдар төменде көрсетіліп, өткізіліп жіберіледі.
console-census-repeated = Бұл файл осы формадан бұрын жүктелген; ештеңе қайта жүктелген жоқ.
console-census-report = Жүктеу есебі
console-census-added = { $count ->
    [one] { $count } тұрғын қосылды
   *[other] { $count } тұрғын қосылды
}
console-census-updated = { $count ->
    [one] { $count } жазба жаңартылды
   *[other] { $count } жазба жаңартылды
}
console-census-skipped = { $count ->
    [one] { $count } жол өткізілді
   *[other] { $count } жол өткізілді
}
console-census-skipped-rows = Өткізілген жолдар
console-census-line = Жол
console-census-problem = Не дұрыс емес
console-census-bad-iin = ЖСН қате (бақылау цифры дұрыс 12 цифр).
console-census-bad-phone = Телефон нөмірі тым қысқа.
console-census-bad-locality = Мұндай елді мекен коды жоқ.
console-census-bad-row = Жолда үш баған керек: iin, phone, locality.
console-census-file = CSV файлы
console-action-import = Жүктеу
console-audit-when = Қашан
console-audit-who = Кім
console-audit-what = Әрекет
console-audit-item = Нысан
console-audit-outcome = Нәтиже
console-audit-op = Операция id
console-audit-done = Орындалды
console-audit-appeal-register = Өтінішті тіркеді
console-audit-appeal-redirect = Өтінішті басқа органға жіберді
console-audit-appeal-extend = Өтініш мерзімін ұзартты
console-audit-appeal-answer = Өтінішке жауап берді
console-audit-appeal-dismiss = Өтінішті қараусыз қалдырды
console-audit-proposal-moderate = Ұсынысты тексерді
console-audit-proposal-review = Ұсынысқа сараптама берді
console-audit-proposal-progress = Жобаның орындалуын жаңартты
console-audit-comment-moderate = Пікірді модерациялады
console-audit-cycle-create = Бюджет циклін құрды
console-audit-cycle-phase = Циклді келесі кезеңге ауыстырды
console-audit-role-grant = Рөл берді
console-audit-role-revoke = Рөлді қайтарып алды
console-audit-census-import = Тұрғындар тізімін жүктеді
console-col-select = Таңдау
console-select = Таңдау
console-action-register-selected = Таңдалғандарды тіркеу
console-flash-none-selected = Ештеңе таңдалмады.
console-flash-bulk-registered = Таңдалған өтініштер тіркелді.
console-flash-bulk-partial = Таңдалған өтініштердің кейбірі тіркелмеді (бұрын тіркелген немесе сіздің құзырыңызда емес); олардың күйі кезекте көрінеді.
console-session-expired = Форма жіберілмей тұрып сеанс аяқталды. Қайта кіріңіз: енгізгеніңіз сақталды, әзірге ештеңе өзгерген жоқ.
console-resume-title = Форманы қайта жіберу керек пе?
console-resume-text = Сіз қайта кірдіңіз. Сеанс аяқталған кезде жіберіп жатқан формаңыз төменде; әзірге ештеңе өзгерген жоқ. Оны қазір жіберіңіз немесе бас тартыңыз.
console-resume-typed = Енгізгеніңіз
console-resume-files = Қайта кірген кезде файлды сақтау мүмкін емес. Егер формада файл болса (фото, санақ файлы), оны төменде қайта таңдаңыз; қалғаны сақталды.
console-resume-file = Файл (қайта таңдаңыз)
console-resume-send = Жіберу
console-resume-discard = Жібермей, басты бетке өту
console-templates-title = Жауап үлгілері
console-template-new = Жаңа үлгі
console-template-edit = Үлгіні өзгерту
console-template-name = Атауы
console-template-text = Мәтіні
console-template-start = Жауапты үлгіден бастау:
console-action-save = Сақтау
console-action-edit = Өзгерту
console-action-delete = Жою
console-flash-template-saved = Үлгі сақталды.
console-flash-template-deleted = Үлгі жойылды.
console-filter-open = Ашық (әлі жауап берілмеген)

## public pages
public-index-title = Елді мекендер
public-index-intro = Тұрғындар не ұсынды, неге дауыс берді, не сұрады және әр әкімдік қалай жауап береді — әр елді мекен бойынша. Кірусіз.
public-not-found-text = Мұндай бет жоқ.
public-crumbs-label = Сіз осындасыз
public-licence = Ашық деректер: көрсеткіштерді, қорытындыларды және иесіз бюллетеньдерді Dauys-ке сілтеме жасап, CC BY 4.0 лицензиясы бойынша пайдалануға болады.
public-answers-title = Өтініштерге қалай жауап береді
public-received = өтініш түсті
public-answered = жауап берілді
public-in-term = заңда белгіленген мерзімде жауап берілді
public-median-days = жауапқа дейінгі жұмыс күні (медиана)
public-accountability-link = Әр әкімдік пен бөлімнің көрсеткіштері
public-accountability-title = Өтініштерге жауаптар: { $name }
public-accountability-intro = Әр әкімдік пен бөлім бойынша: түскен өтініштер, жауап берілгендері, тіркеуден жауапқа дейінгі жұмыс күндерінің медианасы (Қазақстан күнтізбесі бойынша, мерекелермен), мерзімінде берілген жауаптардың үлесі, қазір мерзімі өткен ашық өтініштер және басқа органнан жіберілген өтініштер.
public-body = Әкімдік немесе бөлім
public-overdue-now = қазір мерзімі өткен
public-redirected-in = басқа органнан жіберілген
public-cycles-title = Халық бюджеті циклдері
public-latest-answers = Жария өтініштерге соңғы жауаптар
public-all-appeals = Барлық жария өтініштер мен жауаптар
public-appeals-title = Жария өтініштер: { $name }
public-search = Іздеу
public-phase = Кезең
public-budget = Бюджет
public-proposals-title = Ұсыныстар
public-progress = Жұмыстың барысы
public-recount-title = Өзіңіз қайта санаңыз
public-download-pb = Бюллетеньдер (.pb, pabulib)
public-download-csv = Қорытындылар (CSV)
public-recount-text = Бюллетеньдер аты-жөнсіз жарияланған. Оларды осы жобаның dauys-tally құралымен немесе партисипативтік бюджеттеуге арналған pabutools Python кітапханасымен қайта санаңыз (.pb файлын жүктеп, сол ережені қолданыңыз): таңдау жоғарыдағымен сәйкес келуі керек.

## console: reviews, implementation, cycles
console-reviews-title = Сараптама
console-implementation-title = Іске асыру
console-cycles-title = Бюджет циклдері
console-review-feasible = Ұсынылғандай іске асыруға бола ма?
console-review-yes = Иә, бюллетеньге енгізу
console-review-no = Жоқ (себебі ескертпеде; ол жарияланады)
console-review-estimate = Смета, ₸
console-review-note = Ескертпе (жарияланады)
console-action-review = Қорытындыны жіберу
console-flash-reviewed = Қорытынды сақталып, жарияланды.
console-progress-percent = Дайындығы, %
console-progress-note = Жұмыс кезеңі (жарияланады)
console-action-progress = Жариялау
console-flash-progress = Жұмыстың барысы туралы мәлімет жарияланды.
console-cycle-name = Цикл
console-cycle-next = Келесі кезең
console-action-next-phase = Келесі кезеңге ауыстыру
console-cycle-new = Жаңа цикл
console-cycle-title-kk = Қазақша атауы
console-cycle-title-ru = Орысша атауы
console-cycle-title-en = Ағылшынша атауы
console-cycle-budget = Бюджет, ₸
console-cycle-rule = Жеңімпаздар қалай таңдалады
console-cycle-max-projects = Бюллетеньдегі жобалардың ең көп саны (бос: шектеусіз)
console-cycle-min-votes = Жобаның жеңуі үшін қажет ең аз дауыс саны (тек ең аз шегі бар ереже үшін)
console-cycle-budget-limited = Бюллетеньдегі жобалар бюджетке сыюы керек
console-cycle-min-age = Дауыс берудің ең төменгі жасы
console-cycle-voting-from = Дауыс беру басталады
console-cycle-voting-until = Дауыс беру аяқталады
console-action-create-cycle = Цикл құру
console-flash-cycle-created = Цикл құрылды.
console-phase-title = Келесі кезеңге ауыстыру керек пе?
console-phase-from = Қазір
console-phase-to = Келесі
console-phase-counting = Дауыс беру аяқталады: бюллетеньдер қазір саналып, қорытындылар жарияланады. Ереже тұрғындар оқитындай:
console-phase-final = Кезеңдер тек алға жылжиды; мұны болдырмау мүмкін емес.
console-action-confirm-phase = Иә, ауыстыру
console-action-cancel = Бас тарту
console-flash-phase-moved = Цикл келесі кезеңге ауыстырылды.
console-comments-title = Пікірлер
console-action-hide = Жасыру
console-action-show = Қайта көрсету
console-comment-hidden-note = Жасырылған; жарияланған себебі:
console-comment-reported = Тұрғындар шағымы: { $count }
console-flash-comment-hidden = Пікір жасырылды; оның орнында себебі жарияланды.
console-flash-comment-shown = Пікір қайта көрсетілді.
console-cycles-soon = Бір апта ішінде келесі кезеңге өтетін циклдер
console-progress-photo = Жұмыстың суреті (міндетті емес, жарияланады)

## Open311 GeoReport v2 (серіктес қолданбаларға жауаптар)
open311-subject = Өтініштің қысқа тақырыбы (әдепкі бойынша мәтінінің басы).
open311-subject-format = Мәтін, 200 таңбаға дейін.
open311-public = Өтінішті және оған жауапты жариялау (өтініш берушінің аты мен ЖСН-і ешқашан жарияланбайды).
open311-public-yes = Иә, жариялау
open311-public-no = Жоқ, жарияламау
open311-created = Әкімдікке жіберілді. Өтініш тіркеледі; қарау мерзімі — тіркелген күннен бастап 15 жұмыс күні.
open311-refused-key = api_key көрсетілмеген немесе жарамсыз. Серіктес қолданбаға кілтті әкімдіктегі Dauys әкімшісі береді.
open311-refused-anonymous = Өтініштер туралы заң өтініш берушінің анықталуын талап етеді: тұрғынды жүйеге кіргізіңіз (POST /v1/auth/otp, содан кейін /v1/auth/verify) және оның сессиясын «Authorization: Bearer …» немесе attribute[session] арқылы жіберіңіз.
open311-refused-session = Тұрғынның сессиясы жарамсыз (мерзімі өтті немесе аяқталды): қайта кіргізіңіз.
console-partners-title = Серіктес қолданбалар (Open311)
console-routes-title = Мекеме туралы кеңес
console-routes-help = Тұрғын өтініштің тақырыбын таңдағанда, қолданба осында көрсетілген мекемені ұсынады. Тұрғын басқасын да таңдай алады.
console-routes-show = Көрсету
console-routes-table = Мұнда әр тақырыппен кім айналысады
console-routes-none = Кеңессіз
console-flash-route-saved = Сақталды. Тұрғындар кеңесті келесі синхрондауда алады.
console-partners-intro = Open311 GeoReport v2 (/open311/v2) арқылы жүйеге кірген тұрғындардың атынан өтініш беретін қолданбаларға кілт қажет. Әр қолданбаға жеке кілт беріңіз, қолданба жұмысын тоқтатқанда оны кері қайтарып алыңыз.
console-partner-issue = Кілт беру
console-partner-label = Қолданба және ұйым
console-partner-keys = Қолданыстағы кілттер
console-partner-issued = Берілді
console-partner-new-key = Жаңа кілт
console-partner-new-key-once = Оны қазір көшіріп, қолданба әзірлеушілеріне қорғалған арна арқылы беріңіз: ол тек бір рет көрсетіледі (Dauys тек оның ізін сақтайды).
console-partner-label-required = Кілт қай қолданбаға арналғанын көрсетіңіз.
console-flash-partner-issued = Кілт берілді.
console-flash-partner-revoked = Кілт кері қайтарылды: қолданба енді өтініш бере алмайды.
public-receipt-title = Бюллетень түбіртегін тексеру
public-receipt-help = Дауыс бергенде қолданба A1B2-C3D4-E5F6-0789 сияқты түбіртек көрсетті. Дауыс беру аяқталған соң бюллетеніңіздің есепке алынғанын тексеру үшін оны осында енгізіңіз. Тексеру тек бюллетеннің есепке алынғанын айтады — қалай дауыс бергеніңізді ешқашан көрсетпейді, сондықтан түбіртек арқылы ешкім таңдауыңызды біле алмайды.
public-receipt-label = Сіздің түбіртегіңіз
public-receipt-check = Тексеру
public-receipt-counted = Бюллетеніңіз есепке алынды; барлығы { $count } бюллетень есепке алынды.
public-receipt-not-counted = Мұндай түбіртегі бар есепке алынған бюллетень жоқ. Қате терілмегенін тексеріңіз; кейін қайта дауыс берсеңіз, тек соңғы бюллетень есептеледі — соның түбіртегін тексеріңіз.
public-receipt-not-yet = Дауыс беру әлі аяқталған жоқ: түбіртектерді бюллетендер жарияланғаннан кейін тексеруге болады.
public-receipt-invalid = Түбіртек — 16 әріп пен цифр, мысалы A1B2-C3D4-E5F6-0789.
public-receipt-download = Есепке алынған барлық түбіртектердің іздерін жүктеу (интернетсіз тексеру үшін)
public-by-month = Айлар бойынша (айда түскендер)
public-month = Ай
public-open-data = Ашық деректер
public-accountability-exports = Осы көрсеткіштер органдар мен айлар бойынша
public-turnout-title = Қатысу (санақ бойынша дауыс беру жасына толған тұрғындар)
public-turnout-place = Қайда
public-turnout-eligible = Дауыс бере алатындар
public-turnout-voted = Дауыс бергендер
public-turnout-share = Үлесі
public-turnout-all = Цикл бойынша барлығы

## SMS with the one-time sign-in code (keep it within one SMS: 70 letters in Cyrillic)
sms-code = Dauys-қа кіру коды: { $code }. Оны ешкімге айтпаңыз.
sms-appeal-answered = Dauys: № { $number } өтінішіңізге жауап берілді. Жауапты қолданбадан оқыңыз.

## Хабарламалар, жоба ұсыну, басқалардың өтініштері (тұрғын қосымшасы)
nav-notices = Хабарламалар
notices-title = Хабарламалар
notices-none = Әзірге жаңалық жоқ. Өтінішіңізге жауап келгенде немесе жобаңыз алға жылжығанда, осы жерден көресіз.
notices-new = Жаңа
notices-unread = { $count ->
   *[other] { $count } жаңа
}
notice-appeal = «{ $subject }» өтінішіңіз: { $status }
notice-appeal-overdue = «{ $subject }» өтінішіңізге жауап кешікті: заңда белгіленген мерзім өтті
notice-proposal = «{ $subject }» жобаңыз: { $status }
notice-comment-hidden = Модератор пікіріңізді жасырды
notice-results = Қорытынды шықты: { $subject }
notice-ballot-counted = Дауысыңыз есептелді: { $subject }
notice-refused = Қабылданбады: «{ $subject }». { $status }
notice-os-body = Өтініштеріңіз не жобаларыңыз бойынша жаңалық бар. Оқу үшін Dauys-ты ашыңыз.
cycle-propose = Жоба ұсыну
propose-title = Жоба ұсыну
propose-name = Жобаның атауы
propose-description = Не істеу керек және қай жерде
propose-description-help = Қарапайым тілмен жазыңыз: не керек, нақты қай жерде, кімге пайдасы тиеді.
propose-category = Тақырыбы
propose-cost = Құны, теңгемен
propose-cost-help = Өзіңіз шамалаған баға, оны сарапшылар тексереді. Бос орынмен жазуға болады: 2 500 000.
propose-photos-hint = Орынның 10 суретіне дейін. Байланыс болғанда жіберіледі.
propose-submit = Ұсынысты жіберу
propose-queued = Ұсынысыңыз сақталды. Байланыс болған бойда модераторларға жіберіледі.
my-proposals-title = Менің ұсыныстарым
my-proposals-none = Сіз әлі жоба ұсынбадыңыз.
my-proposal-reason = Модератордың ескертпесі: { $reason }
my-proposal-revise = Түзету
my-proposal-send-revision = Түзетілген нұсқаны жіберу
my-proposal-revised = Түзетілген нұсқа сақталды, ол модераторларға қайта жіберіледі.
others-appeals-title = Басқа тұрғындардың өтініштері
others-appeals-help = Елді мекеніңіздің ашық өтініштері және оларға берілген жауаптар. Мүмкін, сіздің мәселеңіз туралы біреу сұрап қойған шығар.
others-appeals-search = Өтініштер мен жауаптардан іздеу
others-appeals-answered = Тек жауап берілгендері
others-appeals-count = { $count ->
    [0] Өтініш табылмады
   *[other] { $count } өтініш
}
receipt-check-title = Дауысымды тексеру
receipt-check-help = Есептелген бюллетеньдердің тізімі жарияланған. Қосымша түбіртегіңізді сол тізімнен өзі іздейді: оның кімдікі екенін ешкім білмейді, қалай дауыс бергеніңізді де көрсетпейді.
receipt-check = Тексеру
receipt-counted = { $count ->
   *[other] Бюллетеніңіз есептелген { $count } бюллетеньнің ішінде бар.
}
receipt-missing = Түбіртегіңіз жарияланған тізімде жоқ. Бұл туралы әкімдікке хабарлап, түбіртекті көрсетіңіз.
comment-report = Модераторларға шағымдану
comment-report-reason = Бұл пікірдің несі дұрыс емес? (жазбасаңыз да болады)
comment-report-send = Шағымды жіберу
comment-reported = Шағым жіберілді. Модераторлар қарайды.
implementation-title = Дауысыңыз қалай ескерілді
implementation-help = Тұрғындар өткен дауыс берулерде таңдаған жобалар және жұмыстың барысы.
implementation-none = Елді мекеніңізде әлі бірде-бір жоба таңдалған жоқ.
implementation-progress = { $count }% орындалды
implementation-milestones = Атқарылған кезеңдер
implementation-show-photos = { $count ->
   *[other] Суреттерді көрсету ({ $count })
}
implementation-photo-alt = Жұмыс суреті { $number }: { $name }

## Withdrawing a proposal, routing help, the place's centre, SMS on answer
my-proposal-withdraw = Кері алу
my-proposal-withdraw-confirm = Ұсынысты кері аласыз ба? Ол қаралмайды, кейін қайтару мүмкін емес.
my-proposal-withdraw-yes = Иә, кері аламын
my-proposal-withdraw-no = Жоқ, қалсын
my-proposal-withdrawn = Ұсынысыңыз кері алынды. Ол қаралмайды.
location-here = Осы жер: { $place } орталығы
appeal-topic = Өтініш не туралы?
appeal-topic-choose = Тақырыпты таңдаңыз (міндетті емес)
appeal-topic-help = Тақырыпты таңдасаңыз, онымен кім айналысатынын айтамыз.
appeal-topic-suggested = Ұсынылатын мекеме: { $body }. Төменнен басқасын да таңдай аласыз.
appeal-sms = Жауап келгенде SMS жіберілсін
appeal-sms-help = Телефоныңызға бір қысқа хабар келеді. Онда өтініштің мәтіні болмайды.
appeal-topic-roads = Жол мен жаяу жүргінші жолы
appeal-topic-lighting = Көше жарығы
appeal-topic-water = Су және кәріз
appeal-topic-heating = Жылу
appeal-topic-waste = Қоқыс шығару
appeal-topic-transport = Автобус және көлік
appeal-topic-housing = Үй және аула
appeal-topic-land = Жер
appeal-topic-education = Мектеп пен балабақша
appeal-topic-health = Денсаулық сақтау
appeal-topic-social = Әлеуметтік көмек
appeal-topic-other = Басқа
