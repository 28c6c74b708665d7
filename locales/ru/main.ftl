# Приложение Dauys — русский.
# Идентификаторы сообщений совпадают в kk, ru и en (проверяет tests/i18n).

app-name = Dauys
language-name = Русский
choose-language = Выберите язык
loading = Загрузка…
continue = Продолжить
back-to-list = ← Назад к списку
skip-to-content = Перейти к содержанию

## Форматы
money = { $amount }{"\u00A0"}₸
date = { $day } { $month } { $year }{"\u00A0"}г.
datetime = { $date }, { $time }
month-1 = января
month-2 = февраля
month-3 = марта
month-4 = апреля
month-5 = мая
month-6 = июня
month-7 = июля
month-8 = августа
month-9 = сентября
month-10 = октября
month-11 = ноября
month-12 = декабря

## Вход
signin-title = Вход
signin-intro = Введите ИИН. Мы отправим одноразовый код в SMS на номер телефона, который за вами записан.
signin-server = Сервер
signin-server-label = Адрес сервера
signin-server-hint = Не меняйте, если акимат не дал вам другой адрес.
signin-iin = ИИН (12 цифр)
signin-iin-hint = Индивидуальный идентификационный номер, как в удостоверении личности.
signin-get-code = Получить код
signin-code-sent = Код отправлен на номер { $phone }.
signin-code-sent-unknown = Если этот ИИН здесь зарегистрирован, код отправлен на его телефон.
signin-code = Одноразовый код из SMS
signin-verify = Войти
signin-resend = Отправить новый код
signed-out = Вы вышли из приложения.
kiosk-signed-out-idle = Вы вышли из приложения, потому что им долго не пользовались. Ваши данные в сохранности.
locality-title = Ваш населённый пункт
locality-intro = Выберите город или село, за бюджетом и обращениями которого вы хотите следить. Это можно изменить позже.
locality-label = Населённый пункт

## Связь
conn-online = В сети
conn-online-synced = В сети · синхронизировано { $time }
conn-offline = Нет связи — ваши действия сохраняются на этом устройстве
conn-offline-since = Нет связи с { $time } — ваши действия сохраняются на этом устройстве
conn-syncing = Отправка… отправлено: { $sent }
sync-now = Синхронизировать
outbox-waiting = { $count ->
    [0] Нет неотправленных действий
    [one] { $count } действие ждёт отправки
    [few] { $count } действия ждут отправки
    [many] { $count } действий ждут отправки
   *[other] { $count } действия ждут отправки
}

## Меню
nav-label = Главное меню
nav-home = Главная
nav-proposals = Предложения
nav-appeals = Обращения
nav-outbox = Исходящие
nav-settings = Настройки

## Главная
home-cycles = Народный бюджет
home-no-cycles = Сейчас в вашем населённом пункте нет открытых циклов бюджета.
home-appeals = Мои обращения
home-no-appeals = У вас пока нет обращений.
cycle-budget = Бюджет: { $amount }
cycle-proposals = Предложения
cycle-vote = Голосовать
cycle-results = Итоги
phase-until = до { $date } ({ $days ->
    [0] заканчивается сегодня
    [one] остался { $days } день
    [few] осталось { $days } дня
    [many] осталось { $days } дней
   *[other] осталось { $days } дня
})
phase-collecting = Сбор предложений
phase-moderation = Модерация
phase-expert-review = Экспертиза
phase-voting = Голосование
phase-tallying = Подсчёт голосов
phase-implementation = Реализация
phase-closed = Завершён

## Предложения
proposals-title = Предложения
proposals-search = Поиск
proposals-category = Категория
proposals-category-all = Все категории
proposals-count = { $count ->
    [0] Ничего не найдено
    [one] { $count } предложение
    [few] { $count } предложения
    [many] { $count } предложений
   *[other] { $count } предложения
}
proposal-title = Предложение
proposal-cost = Стоимость
proposal-expert-cost = Оценка экспертов
proposal-expert-note = Заключение экспертов
proposal-location = Место
map-open = Открыть на карте (OpenStreetMap, в браузере)
map-open-failed = Не удалось открыть браузер. Адрес карты:
proposal-votes = Голоса
proposal-progress = Ход работ
proposal-history = История
proposal-status-submitted = Подано
proposal-status-in-moderation = На проверке
proposal-status-needs-changes = Нужны исправления
proposal-status-rejected = Отклонено
proposal-status-accepted = Принято
proposal-status-expert-review = На экспертизе
proposal-status-on-ballot = В бюллетене
proposal-status-selected = Выбрано
proposal-status-not-selected = Не выбрано
proposal-status-in-implementation = Реализуется
proposal-status-done = Выполнено
proposal-status-withdrawn = Отозвано
category-accessibility = Доступная среда
category-children = Дети
category-culture = Культура
category-ecology = Экология и озеленение
category-safety = Безопасность
category-sport = Спорт
category-transport = Транспорт и дороги
category-education = Образование
category-health = Здоровье
category-other = Другое
comments-title = Комментарии
comments-none = Комментариев пока нет.
comment-hidden = Скрыт модератором.
comment-hidden-reason = Скрыто модератором: { $reason }
comment-add = Ваш комментарий
comment-send = Отправить комментарий

## Бюллетень
ballot-title = Бюллетень
ballot-rules-both = Выберите до { $max } проектов общей стоимостью не больше { $budget }.
ballot-rules-max = Выберите до { $max } проектов.
ballot-rules-budget = Выберите проекты общей стоимостью не больше { $budget }.
ballot-closes = Голосование закрывается { $date } — до этого голос можно изменить.
ballot-closed = Голосование в этом цикле не идёт.
ballot-meter = Ваш выбор
ballot-used = Использовано бюджета: { $used } · осталось: { $left }
ballot-chosen-of = Выбрано проектов: { $count } из { $max }
ballot-chosen = Выбрано проектов: { $count }
ballot-too-many = Можно выбрать не больше { $max } проектов. Сначала снимите отметку с другого.
ballot-over-budget = Этот проект стоит { $cost }, а в бюджете осталось только { $left }. Сначала снимите отметку с другого проекта.
ballot-choose = Проекты в бюллетене
ballot-to-review = Проверить выбор
ballot-review = Проверьте свой выбор
ballot-review-empty = Вы не выбрали ни одного проекта. Пустой бюллетень отменяет ваш голос.
ballot-total = Итого: { $amount }
ballot-cast = Проголосовать
ballot-back = Изменить выбор
ballot-saved = Сохранено на этом устройстве — будет отправлено, когда появится связь. Голос ещё не учтён.
ballot-saved-at = Сохранено { $time }
ballot-counted = Голос учтён.
ballot-receipt = Квитанция:
ballot-counted-at = Учтён { $time }
ballot-change-hint = Голос можно изменить, пока голосование открыто; учитывается последний.
ballot-rejected = Ваш голос не принят.

## Итоги
results-title = Итоги
results-none = Итоги ещё не опубликованы.
results-voters = Проголосовало
results-budget-used = Использовано бюджета
results-budget-of = { $used } из { $budget }
results-chart-caption = Голоса по проектам; выбранные проекты темнее.
results-project = Проект
results-votes = Голоса
results-outcome = Итог
results-selected = Выбран
results-not-selected = Не выбран

## Обращения
appeals-title = Обращения
appeals-drafts = Черновики
appeals-mine = Мои обращения
appeal-title = Обращение
appeal-new = Новое обращение
appeal-untitled = Обращение без темы
appeal-type = Вид обращения
appeal-type-statement = Заявление
appeal-type-statement-help = Просите помочь реализовать ваши права или сообщаете о проблеме или нарушении.
appeal-type-complaint = Жалоба
appeal-type-complaint-help = Решение, действие или бездействие должностного лица нарушило ваши права или интересы.
appeal-type-proposal = Предложение
appeal-type-proposal-help = Идея, как улучшить услугу, правило или работу акимата.
appeal-type-request = Запрос
appeal-type-request-help = Хотите что-то узнать: график, решение, разъяснение.
appeal-type-response = Отклик
appeal-type-response-help = Ваше мнение о решении или проекте, который опубликовал акимат.
appeal-to = Кому
appeal-to-choose = Выберите акимат или отдел
appeal-subject = Тема
appeal-body = Текст обращения
appeal-location = Место (необязательно)
appeal-location-hint = Координаты места, о котором обращение. Ваше местоположение само не добавляется.
appeal-lat = Широта
appeal-lon = Долгота
appeal-photos = Фотографии (необязательно)
appeal-photos-hint = Перед отправкой фото уменьшаются, скрытые данные о месте съёмки удаляются.
appeal-photo-remove = Удалить { $name }
appeal-public = Публичное
appeal-public-help = Публичное обращение и ответ на него может прочитать любой, без вашего имени. Не отмечайте, чтобы оставить его закрытым.
appeal-private = Закрытое
appeal-visibility = Доступ
appeal-draft-saved = Черновик сохранён на этом устройстве.
appeal-draft-saving = Сохраняем черновик…
appeal-submit = Отправить обращение
appeal-discard = Удалить черновик
appeal-queued = Сохранено на этом устройстве — обращение будет отправлено, когда появится связь.
appeal-sent = Обращение отправлено.
appeal-rejected-edit = Сервер акимата не принял это обращение. Исправьте его и отправьте снова.
appeal-reg = Регистрационный номер
appeal-reg-number = Регистрационный номер: { $number }
appeal-due = Срок ответа
appeal-answer = Ответ
appeal-timeline = Что происходило
due-left = до { $date } — { $days ->
    [0] срок сегодня
    [one] остался { $days } рабочий день
    [few] осталось { $days } рабочих дня
    [many] осталось { $days } рабочих дней
   *[other] осталось { $days } рабочих дня
}
due-overdue = до { $date } — просрочено на { $days ->
    [one] { $days } рабочий день
    [few] { $days } рабочих дня
    [many] { $days } рабочих дней
   *[other] { $days } рабочих дня
}
appeal-status-submitted = Подано
appeal-status-registered = Зарегистрировано
appeal-status-redirected = Перенаправлено
appeal-status-extended = Срок продлён
appeal-status-answered = Дан ответ
appeal-status-dismissed = Оставлено без рассмотрения

## Состояние отправки
delivery-queued = Ждёт на этом устройстве
delivery-sending = Отправляется…
delivery-delivered = Доставлено
delivery-rejected = Не принято

## Исходящие
outbox-title = Исходящие
outbox-intro = Всё, что вы сделали на этом устройстве и что сервер ещё не подтвердил.
outbox-empty = Ничего не ждёт отправки. Всё отправлено.
outbox-retry = Повторить
outbox-edit = Исправить и отправить снова
outbox-discard = Отменить
outbox-attempts = { $count ->
    [one] { $count } попытка
    [few] { $count } попытки
    [many] { $count } попыток
   *[other] { $count } попытки
}
op-appeal-submit = Обращение
op-proposal-submit = Предложение
op-comment-add = Комментарий
op-ballot-cast = Голос
op-media-attach = Фото

## Настройки
settings-title = Настройки
settings-language = Язык
settings-display = Отображение
settings-text-size = Размер текста
settings-contrast = Высокая контрастность
settings-kiosk = Общее устройство (киоск)
settings-kiosk-help = На общем устройстве: выходить из профиля через столько минут бездействия и удалять данные человека с устройства, как только они отправлены. 0 — выключено.
settings-kiosk-minutes = Выход после минут бездействия
settings-profiles = Люди на этом устройстве
settings-profile-active = Вход выполнен
settings-profile-switch = Переключиться на { $name }
settings-sign-out = Выйти
settings-about = О приложении
settings-version = Dauys, версия { $version }
privacy-title = Что и где хранится
privacy-device = На этом устройстве: ваши черновики, неотправленные действия и копия предложений вашего населённого пункта — в зашифрованном файле для каждого человека.
privacy-server = На сервере акимата: то, что вы отправили, — обращения, комментарии, предложения и ваш голос. Голоса подсчитываются без вашего имени.
privacy-kiosk = На общем устройстве выходите из профиля, когда уходите; в режиме киоска ваши данные удаляются после отправки.
privacy-iin = ИИН нужен только для входа; сервер хранит его в виде, из которого его нельзя прочитать.

## Ошибки (error-<код>)
error-details = Подробности для поддержки
error-required = Заполните это поле.
error-required-field = Заполните поле: { $field }.
error-network = Сервер недоступен. Ваши действия сохранены на этом устройстве.
error-insecure-server = Этот адрес сервера небезопасен (обычный http). Используйте адрес https.
error-photo = Этот файл не удалось прочитать как фотографию. Выберите снимок JPEG или PNG.
error-not-signed-in = Сначала войдите.
error-invalid-iin-format = ИИН состоит ровно из 12 цифр.
error-invalid-iin-checksum = В ИИН опечатка: последняя цифра не сходится. Проверьте номер по удостоверению личности.
error-invalid-iin-date = В этом ИИН нет правильной даты рождения. Проверьте номер по удостоверению личности.
error-invalid-field = Некоторые данные не заполнены или заполнены неверно.
error-invalid-iin = Неверный ИИН.
error-invalid-json = Приложение отправило данные, которые сервер не понял. Обновите приложение.
error-unknown-kind = Сервер не знает такого действия. Обновите приложение.
error-bad-signature = Подпись этого устройства не принята. Выйдите и войдите снова.
error-not-found = Не найдено.
error-unauthorized = Сеанс закончился. Войдите снова.
error-forbidden = У вас нет прав на это действие.
error-not-eligible = Вы не можете голосовать в этом населённом пункте.
error-under-age = По возрасту вы пока не можете голосовать в этом цикле.
error-voting-closed = Голосование уже закрылось, поэтому этот голос не учтён.
error-phase-closed = Этот этап уже закрыт.
error-over-budget = Выбранные проекты стоят больше бюджета.
error-too-many-projects = Выбрано слишком много проектов.
error-duplicate-project = Проект выбран дважды.
error-not-on-ballot = Выбранного проекта нет в бюллетене.
error-invalid-transition = На этом этапе так сделать нельзя.
error-deadline-passed = Срок истёк.
error-media-missing = Фотография ещё не загрузилась.
error-rate-limited = Слишком много попыток. Подождите несколько минут и попробуйте снова.
error-code-expired = Срок действия кода истёк. Запросите новый.
error-code-wrong = Неверный код. Проверьте SMS и попробуйте снова.
error-payload-too-large = Слишком большой объём для отправки.
error-batch-too-large = Слишком много действий сразу. Они будут отправлены частями.
error-internal = Что-то пошло не так. Попробуйте ещё раз.

# How the cycle's counting rule picks winners (ballot and results screens)
counting-rule-greedy = Как выбираются победители: проекты упорядочены по числу голосов; по списку финансируется каждый проект, который ещё помещается в оставшийся бюджет.
counting-rule-greedy-threshold = Как выбираются победители: побеждать могут только проекты, набравшие минимальное число голосов; они идут по числу голосов и финансируются, пока помещаются в бюджет.
counting-min-votes = { $count ->
    [one] Минимум — { $count } голос.
    [few] Минимум — { $count } голоса.
    [many] Минимум — { $count } голосов.
   *[other] Минимум — { $count } голоса.
}
counting-rule-equal-shares = Как выбираются победители (метод равных долей): бюджет делится поровну между проголосовавшими; проект финансируется, если его сторонники вместе могут оплатить его из своих долей, — так каждая группа жителей получает справедливую часть.

## Консоль сотрудников (crates/server/src/console, templates/console)
console-name = Консоль сотрудников Dauys
console-skip-to-content = Перейти к содержимому
console-nav-label = Разделы консоли
console-language-label = Язык
console-dashboard-title = Сводка
console-appeals-title = Обращения
console-appeal-title = Обращение
console-proposals-title = Предложения
console-sign-in-title = Вход для сотрудников
console-sign-in-intro = Для сотрудников акимата, модераторов, экспертов и администраторов. Войдите по ИИН и одноразовому коду, отправленному на ваш телефон.
console-iin-label = ИИН
console-send-code = Получить код
console-code-label = Одноразовый код
console-code-sent = Код отправлен на { $phone }.
console-code-sent-maybe = Если этот ИИН зарегистрирован, код отправлен на указанный телефон.
console-sign-in = Войти
console-sign-out = Выйти
console-count-new = новых (не зарегистрировано)
console-count-due-week = со сроком в течение недели
console-count-overdue = просрочено
console-count-moderation = ждут модерации
console-count-review = ждут экспертизы
console-days-over = { $days ->
    [one] просрочено на { $days } рабочий день
    [few] просрочено на { $days } рабочих дня
    [many] просрочено на { $days } рабочих дней
   *[other] просрочено на { $days } рабочих дня
}
console-filter-status = Статус
console-filter-type = Вид
console-filter-any = Любой
console-filter-overdue = Только просроченные
console-filter-text = Текст
console-filter-body = Адресат
console-filter-due-before = Срок не позднее
console-filter-apply = Применить
console-queue-empty = Здесь ничего нет.
console-col-subject = Тема
console-col-type = Вид
console-col-status = Статус
console-col-addressee = Адресат
console-col-number = Регистрационный номер
console-col-due = Срок
console-pages-label = Страницы
console-page-prev = Предыдущая страница
console-page-next = Следующая страница
console-submitted-on = Подано
console-visibility = Доступ
console-public = Публичное
console-private = Непубличное
console-applicant = Заявитель
console-applicant-protected = Личность защищена: сервер хранит ИИН только в виде ключевого хеша. Ответ дойдёт до заявителя в приложении.
console-location = Место
console-open-map = Открыть на карте
console-photos = Фотографии
console-photo-alt = Фото { $number }
console-text = Текст
console-answer = Ответ
console-legal-dates = Сроки по закону
console-not-registered = Ещё не зарегистрировано
console-redirect-by = Перенаправить можно до
console-extension-cap = Крайний срок продления
console-timeline = Ход рассмотрения
console-reason = Причина (публикуется)
console-redirect-to = Куда перенаправить
console-extend-until = Новый срок
console-action-register = Зарегистрировать
console-action-answer = Отправить ответ
console-action-redirect = Перенаправить
console-action-extend = Продлить срок
console-action-dismiss = Оставить без рассмотрения
console-flash-registered = Обращение зарегистрировано.
console-flash-answered = Ответ отправлен.
console-flash-redirected = Обращение перенаправлено.
console-flash-extended = Срок продлён.
console-flash-dismissed = Обращение оставлено без рассмотрения.
console-staff-only-title = Только для сотрудников акимата
console-staff-only-text = Эта консоль предназначена для сотрудников акимата: должностных лиц, модераторов, экспертов и администраторов. Жители подают обращения и следят за ними в приложении Dauys.
console-back-to-sign-in = Вернуться ко входу
console-csrf-title = Форма устарела
console-csrf-text = Не удалось проверить эту форму, поэтому ничего не изменено. Откройте страницу заново и повторите действие.
console-back-to-dashboard = Вернуться к сводке
console-not-found-title = Не найдено
console-not-found-text = Такой страницы нет или она вам недоступна.
console-error-title = Что-то пошло не так
console-error-text = Сервер не смог выполнить запрос. Ничего не потеряно; повторите через минуту.
console-category = Категория
console-cost = Стоимость
console-action-accept = Принять
console-action-needs-changes = Вернуть на доработку
console-action-reject = Отклонить
console-flash-accepted = Предложение принято.
console-flash-needs-changes = Автору предложено доработать предложение.
console-flash-rejected = Предложение отклонено; причина опубликована.

## console: administration and audit
console-admin-title = Администрирование
console-audit-title = Журнал действий
console-census-title = Загрузка списка жителей
console-grant-title = Назначить роль
console-role = Роль
console-locality = Населённый пункт
console-staff-label = Имя и должность
console-action-grant = Назначить
console-staff-title = Сотрудники
console-phone = Телефон
console-col-action = Действие
console-action-revoke = Отозвать
console-everywhere = Везде
console-department = Отдел
console-department-all = Весь населённый пункт
console-department-hint = Для сотрудника одного отдела: он видит и рассматривает только обращения, адресованные этому отделу.
console-role-citizen = Житель
console-role-moderator = Модератор
console-role-expert = Эксперт
console-role-official = Сотрудник акимата
console-role-admin = Администратор
console-flash-granted = Роль назначена.
console-flash-revoked = Роль отозвана.
console-census-intro = CSV-файл со столбцами iin, phone, locality (строка заголовка допускается). Верные строки загружаются; строки с ошибками перечислены ниже и пропущены.
console-census-repeated = Этот файл уже загружен из этой формы; повторно ничего не загружено.
console-census-report = Отчёт о загрузке
console-census-added = { $count ->
    [one] добавлен { $count } житель
    [few] добавлено { $count } жителя
    [many] добавлено { $count } жителей
   *[other] добавлено { $count } жителя
}
console-census-updated = { $count ->
    [one] обновлена { $count } запись
    [few] обновлено { $count } записи
    [many] обновлено { $count } записей
   *[other] обновлено { $count } записи
}
console-census-skipped = { $count ->
    [one] пропущена { $count } строка
    [few] пропущено { $count } строки
    [many] пропущено { $count } строк
   *[other] пропущено { $count } строки
}
console-census-skipped-rows = Пропущенные строки
console-census-line = Строка
console-census-problem = Что не так
console-census-bad-iin = Неверный ИИН (12 цифр с правильной контрольной цифрой).
console-census-bad-phone = Слишком короткий номер телефона.
console-census-bad-locality = Нет такого кода населённого пункта.
console-census-bad-row = В строке нужны три столбца: iin, phone, locality.
console-census-file = CSV-файл
console-action-import = Загрузить
console-audit-when = Когда
console-audit-who = Кто
console-audit-what = Действие
console-audit-item = Объект
console-audit-outcome = Результат
console-audit-op = Id операции
console-audit-done = Выполнено
console-audit-appeal-register = Зарегистрировал(а) обращение
console-audit-appeal-redirect = Перенаправил(а) обращение
console-audit-appeal-extend = Продлил(а) срок обращения
console-audit-appeal-answer = Ответил(а) на обращение
console-audit-appeal-dismiss = Оставил(а) обращение без рассмотрения
console-audit-proposal-moderate = Проверил(а) предложение
console-audit-proposal-review = Дал(а) экспертное заключение
console-audit-proposal-progress = Обновил(а) ход реализации
console-audit-comment-moderate = Модерировал(а) комментарий
console-audit-cycle-create = Создал(а) цикл бюджета
console-audit-cycle-phase = Перевёл(а) цикл на следующий этап
console-audit-role-grant = Назначил(а) роль
console-audit-role-revoke = Отозвал(а) роль
console-audit-census-import = Загрузил(а) список жителей
console-col-select = Выбор
console-select = Выбрать
console-action-register-selected = Зарегистрировать выбранные
console-flash-none-selected = Ничего не выбрано.
console-flash-bulk-registered = Выбранные обращения зарегистрированы.
console-flash-bulk-partial = Некоторые из выбранных обращений не удалось зарегистрировать (уже зарегистрированы или не в вашем ведении); их статус виден в очереди.
console-session-expired = Сеанс закончился до отправки формы. Войдите снова: введённое сохранено, ничего ещё не изменено.
console-resume-title = Отправить форму снова?
console-resume-text = Вы снова вошли. Ниже — форма, которую вы отправляли, когда закончился сеанс; ничего ещё не изменено. Отправьте её сейчас или откажитесь.
console-resume-typed = Что вы ввели
console-resume-files = Файл нельзя сохранить, пока вы входите заново. Если в форме был файл (фото, файл переписи), выберите его ещё раз ниже; остальное сохранено.
console-resume-file = Файл (выберите ещё раз)
console-resume-send = Отправить
console-resume-discard = Не отправлять и перейти на главную
console-templates-title = Шаблоны ответов
console-template-new = Новый шаблон
console-template-edit = Изменить шаблон
console-template-name = Название
console-template-text = Текст
console-template-start = Начать ответ с шаблона:
console-action-save = Сохранить
console-action-edit = Изменить
console-action-delete = Удалить
console-flash-template-saved = Шаблон сохранён.
console-flash-template-deleted = Шаблон удалён.
console-filter-open = Открытые (ещё без ответа)

## public pages
public-index-title = Населённые пункты
public-index-intro = Что жители предложили, за что проголосовали, о чём спросили и как отвечает каждый акимат — по каждому населённому пункту. Без входа.
public-not-found-text = Такой страницы нет.
public-crumbs-label = Вы здесь
public-licence = Открытые данные: показатели, итоги и обезличенные бюллетени можно использовать по лицензии CC BY 4.0 со ссылкой на Dauys.
public-answers-title = Как отвечают на обращения
public-received = обращений получено
public-answered = с ответом
public-in-term = отвечено в установленный законом срок
public-median-days = рабочих дней до ответа (медиана)
public-accountability-link = Показатели каждого акимата и отдела
public-accountability-title = Ответы на обращения: { $name }
public-accountability-intro = По каждому акимату и отделу: получено обращений, отвечено, медиана рабочих дней от регистрации до ответа (по календарю Казахстана, с праздниками), доля ответов в установленный срок, открытые обращения с истёкшим сроком и обращения, поступившие по перенаправлению.
public-body = Акимат или отдел
public-overdue-now = просрочено сейчас
public-redirected-in = поступило по перенаправлению
public-cycles-title = Циклы народного бюджета
public-latest-answers = Последние ответы на публичные обращения
public-all-appeals = Все публичные обращения и ответы
public-appeals-title = Публичные обращения: { $name }
public-search = Найти
public-phase = Этап
public-budget = Бюджет
public-proposals-title = Предложения
public-progress = Ход работ
public-recount-title = Пересчитайте сами
public-download-pb = Бюллетени (.pb, pabulib)
public-download-csv = Итоги (CSV)
public-recount-text = Бюллетени опубликованы без имён. Пересчитайте их инструментом dauys-tally этого проекта или библиотекой pabutools — эталонной библиотекой Python для партисипаторного бюджетирования (загрузите файл .pb и примените то же правило): выбор должен совпасть с приведённым выше.

## console: reviews, implementation, cycles
console-reviews-title = Экспертиза
console-implementation-title = Реализация
console-cycles-title = Циклы бюджета
console-review-feasible = Можно ли реализовать, как предложено?
console-review-yes = Да, включить в бюллетень
console-review-no = Нет (причина в примечании; она публикуется)
console-review-estimate = Смета, ₸
console-review-note = Примечание (публикуется)
console-action-review = Отправить заключение
console-flash-reviewed = Заключение сохранено и опубликовано.
console-progress-percent = Готовность, %
console-progress-note = Этап работ (публикуется)
console-action-progress = Опубликовать
console-flash-progress = Сведения о ходе работ опубликованы.
console-cycle-name = Цикл
console-cycle-next = Следующий этап
console-action-next-phase = Перевести на следующий этап
console-cycle-new = Новый цикл
console-cycle-title-kk = Название на казахском
console-cycle-title-ru = Название на русском
console-cycle-title-en = Название на английском
console-cycle-budget = Бюджет, ₸
console-cycle-rule = Как выбираются победители
console-cycle-max-projects = Не больше проектов в бюллетене (пусто: без ограничения)
console-cycle-min-votes = Сколько голосов проекту нужно как минимум, чтобы победить (только для правила с минимумом)
console-cycle-budget-limited = Проекты бюллетеня должны укладываться в бюджет
console-cycle-min-age = Минимальный возраст голосования
console-cycle-voting-from = Голосование с
console-cycle-voting-until = Голосование по
console-action-create-cycle = Создать цикл
console-flash-cycle-created = Цикл создан.
console-phase-title = Перевести на следующий этап?
console-phase-from = Сейчас
console-phase-to = Далее
console-phase-counting = Голосование завершится: бюллетени будут подсчитаны сейчас, итоги опубликованы. Правило, как его прочтут жители:
console-phase-final = Этапы идут только вперёд; отменить это нельзя.
console-action-confirm-phase = Да, перевести
console-action-cancel = Отмена
console-flash-phase-moved = Цикл переведён на следующий этап.
console-comments-title = Комментарии
console-action-hide = Скрыть
console-action-show = Показать снова
console-comment-hidden-note = Скрыт; опубликованная причина:
console-comment-reported = { $count ->
    [one] { $count } жалоба жителя
    [few] { $count } жалобы жителей
    [many] { $count } жалоб жителей
   *[other] { $count } жалобы жителей
}
console-flash-comment-hidden = Комментарий скрыт; на его месте опубликована причина.
console-flash-comment-shown = Комментарий снова показан.
console-cycles-soon = Циклы, переходящие на следующий этап в течение недели
console-progress-photo = Фото работ (необязательно, публикуется)

## Open311 GeoReport v2 (ответы приложениям-партнёрам)
open311-subject = Краткая тема обращения (по умолчанию — начало его текста).
open311-subject-format = Текст, до 200 символов.
open311-public = Опубликовать обращение и ответ на него (имя и ИИН заявителя не публикуются никогда).
open311-public-yes = Да, опубликовать
open311-public-no = Нет, не публиковать
open311-created = Отправлено в акимат. Обращение будет зарегистрировано; срок рассмотрения — 15 рабочих дней со дня регистрации.
open311-refused-key = api_key не указан или недействителен. Ключ приложению-партнёру выдаёт администратор Dauys в акимате.
open311-refused-anonymous = Закон об обращениях требует установленного заявителя: выполните вход жителя (POST /v1/auth/otp, затем /v1/auth/verify) и передайте его сессию в «Authorization: Bearer …» или attribute[session].
open311-refused-session = Сессия жителя недействительна (истекла или завершена): выполните вход снова.
console-partners-title = Приложения-партнёры (Open311)
console-routes-title = Подсказки адресата
console-routes-help = Когда житель выбирает тему обращения, приложение подсказывает указанный здесь орган. Житель может выбрать и другой.
console-routes-show = Показать
console-routes-table = Кто здесь занимается каждой темой
console-routes-none = Без подсказки
console-flash-route-saved = Сохранено. Жители получат подсказку при следующей синхронизации.
console-partners-intro = Приложениям, которые подают обращения от имени вошедших жителей через Open311 GeoReport v2 (/open311/v2), нужен ключ. Выдавайте каждому приложению свой ключ и отзывайте его, когда приложение прекращает работу.
console-partner-issue = Выдать ключ
console-partner-label = Приложение и организация
console-partner-keys = Действующие ключи
console-partner-issued = Выдан
console-partner-new-key = Новый ключ
console-partner-new-key-once = Скопируйте его сейчас и передайте разработчикам приложения по защищённому каналу: он показывается только один раз (Dauys хранит лишь отпечаток).
console-partner-label-required = Укажите, для какого приложения ключ.
console-flash-partner-issued = Ключ выдан.
console-flash-partner-revoked = Ключ отозван: приложение больше не может подавать обращения.
public-receipt-title = Проверить квитанцию бюллетеня
public-receipt-help = Когда вы голосовали, приложение показало квитанцию вида A1B2-C3D4-E5F6-0789. После окончания голосования введите её здесь, чтобы убедиться, что ваш бюллетень учтён. Проверка сообщает только, учтён ли бюллетень, — но никогда не показывает, как вы проголосовали, поэтому по квитанции никто не узнает ваш выбор.
public-receipt-label = Ваша квитанция
public-receipt-check = Проверить
public-receipt-counted = Ваш бюллетень учтён; всего учтено бюллетеней: { $count }.
public-receipt-not-counted = Учтённого бюллетеня с такой квитанцией нет. Проверьте, нет ли опечатки; если вы позже проголосовали снова, учитывается только последний бюллетень — проверяйте его квитанцию.
public-receipt-not-yet = Голосование ещё не закончено: квитанции можно проверить после публикации бюллетеней.
public-receipt-invalid = Квитанция — это 16 букв и цифр, например A1B2-C3D4-E5F6-0789.
public-receipt-download = Скачать отпечатки всех учтённых квитанций (для проверки без интернета)
public-by-month = По месяцам (поступившие в месяце)
public-month = Месяц
public-open-data = Открытые данные
public-accountability-exports = Эти показатели по органам и месяцам
public-turnout-title = Участие (жители по переписи, достигшие возраста голосования)
public-turnout-place = Где
public-turnout-eligible = Могли голосовать
public-turnout-voted = Проголосовали
public-turnout-share = Доля
public-turnout-all = Всего по циклу

## SMS with the one-time sign-in code (keep it within one SMS: 70 letters in Cyrillic)
sms-code = Код входа в Dauys: { $code }. Никому его не сообщайте.
sms-appeal-answered = Dauys: на ваше обращение № { $number } дан ответ. Откройте приложение, чтобы прочитать его.

## Уведомления, предложение проекта, публичные обращения (приложение жителя)
nav-notices = Уведомления
notices-title = Уведомления
notices-none = Пока ничего нового. Когда на ваше обращение ответят или ваш проект продвинется, это появится здесь.
notices-new = Новое
notices-unread = { $count ->
    [one] { $count } новое
    [few] { $count } новых
    [many] { $count } новых
   *[other] { $count } новых
}
notice-appeal = Ваше обращение «{ $subject }»: { $status }
notice-appeal-overdue = Ответ на ваше обращение «{ $subject }» задерживается: законный срок прошёл
notice-proposal = Ваш проект «{ $subject }»: { $status }
notice-comment-hidden = Модератор скрыл ваш комментарий
notice-results = Итоги подведены: { $subject }
notice-ballot-counted = Ваш голос учтён: { $subject }
notice-refused = Не принято: «{ $subject }». { $status }
notice-os-body = Есть новости по вашим обращениям или проектам. Откройте Dauys, чтобы прочитать.
cycle-propose = Предложить проект
propose-title = Предложить проект
propose-name = Название проекта
propose-description = Что нужно сделать и где
propose-description-help = Напишите просто: что нужно, где именно и кому это поможет.
propose-category = Тема
propose-cost = Стоимость в тенге
propose-cost-help = Ваша оценка; эксперты её проверят. Можно писать с пробелами: 2 500 000.
propose-photos-hint = До 10 фотографий места. Они отправятся, когда появится связь.
propose-submit = Отправить предложение
propose-queued = Предложение сохранено. Оно уйдёт модераторам, как только появится связь.
my-proposals-title = Мои предложения
my-proposals-none = Вы ещё не предлагали проектов.
my-proposal-reason = Замечание модератора: { $reason }
my-proposal-revise = Исправить
my-proposal-send-revision = Отправить исправленный вариант
my-proposal-revised = Исправленный вариант сохранён и снова уйдёт модераторам.
others-appeals-title = Обращения других жителей
others-appeals-help = Публичные обращения вашего населённого пункта и ответы на них. Возможно, о вашей проблеме уже спрашивали.
others-appeals-search = Поиск по обращениям и ответам
others-appeals-answered = Только с ответом
others-appeals-count = { $count ->
    [0] Обращений не найдено
    [one] { $count } обращение
    [few] { $count } обращения
    [many] { $count } обращений
   *[other] { $count } обращения
}
receipt-check-title = Проверить мой голос
receipt-check-help = Список учтённых бюллетеней опубликован. Приложение само ищет в нём вашу квитанцию: никто не узнает, чья она, и как вы голосовали, она не показывает.
receipt-check = Проверить
receipt-counted = { $count ->
    [one] Ваш бюллетень среди { $count } учтённого бюллетеня.
    [few] Ваш бюллетень среди { $count } учтённых бюллетеней.
    [many] Ваш бюллетень среди { $count } учтённых бюллетеней.
   *[other] Ваш бюллетень среди { $count } учтённых бюллетеней.
}
receipt-missing = Вашей квитанции нет в опубликованном списке. Сообщите об этом в акимат и покажите квитанцию.
comment-report = Пожаловаться модераторам
comment-report-reason = Что не так с этим комментарием? (можно не писать)
comment-report-send = Отправить жалобу
comment-reported = Жалоба отправлена. Модераторы её рассмотрят.
implementation-title = Как учли ваш голос
implementation-help = Проекты, которые жители выбрали на прошлых голосованиях, и как идут работы.
implementation-none = В вашем населённом пункте ещё не выбрано ни одного проекта.
implementation-progress = Выполнено на { $count }%
implementation-milestones = Что уже сделано
implementation-show-photos = { $count ->
    [one] Показать фотографию
    [few] Показать { $count } фотографии
    [many] Показать { $count } фотографий
   *[other] Показать { $count } фотографии
}
implementation-photo-alt = Фотография работ { $number }: { $name }

## Withdrawing a proposal, routing help, the place's centre, SMS on answer
my-proposal-withdraw = Отозвать
my-proposal-withdraw-confirm = Отозвать предложение? Его не будут рассматривать, и вернуть его будет нельзя.
my-proposal-withdraw-yes = Да, отозвать
my-proposal-withdraw-no = Нет, оставить
my-proposal-withdrawn = Предложение отозвано. Его не будут рассматривать.
location-here = Здесь: центр — { $place }
appeal-topic = О чём обращение?
appeal-topic-choose = Выберите тему (необязательно)
appeal-topic-help = Выберите тему, и мы подскажем, кто этим занимается.
appeal-topic-suggested = Подсказка: { $body }. Можно выбрать другой адресат ниже.
appeal-sms = Прислать SMS, когда придёт ответ
appeal-sms-help = Одно короткое сообщение на ваш телефон. Текста обращения в нём не будет.
appeal-topic-roads = Дороги и тротуары
appeal-topic-lighting = Уличное освещение
appeal-topic-water = Вода и канализация
appeal-topic-heating = Отопление
appeal-topic-waste = Вывоз мусора
appeal-topic-transport = Автобусы и транспорт
appeal-topic-housing = Дома и дворы
appeal-topic-land = Земля
appeal-topic-education = Школы и детские сады
appeal-topic-health = Здравоохранение
appeal-topic-social = Социальная помощь
appeal-topic-other = Другое
