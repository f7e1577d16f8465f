/** The English words of the pages behind a link: the same keys as pages-ru.ts. */
import type { PagesDictionary } from './pages-ru.ts';

export const pagesEn: PagesDictionary = {
  quick: {
    label: 'Another period:',
    today: 'Today',
    yesterday: 'Yesterday',
    this_week: 'This week',
    last_week: 'Last week',
    this_month: 'This month',
    last_month: 'Last month',
  },
  report: {
    downloadHint: 'An Excel file with every call: the Call back sheet, summary, missed calls, employees.',
  },
  progress: {
    title: 'Preparing the report…',
    queued: 'Queued: the report starts in a few seconds.',
    running: 'Reading the calls and working out the figures.',
    elapsed: 'Running for {time}',
    refresh: 'This page refreshes itself. If it does not, reload it.',
    reload: 'Reload',
  },
  email: {
    send: 'Email me this report',
    sendHint: 'The email goes to the people who get this report by subscription.',
    sent: "The report was sent to the subscription's recipients. It arrives in a minute or two.",
    sending: "The report is being prepared and goes to the subscription's recipients as soon as it is ready.",
  },
  errors: {
    expired: {
      title: 'This link has expired',
      text: 'This link stopped working on {date}.',
      todo: 'A fresh link comes with the next report email. A week’s or a month’s report opens from the quick links of the latest email.',
    },
    expiredNoDate: 'This link has stopped working.',
    revoked: {
      title: 'This link was switched off',
      text: 'This link was revoked: the report no longer opens from it.',
      todo: 'Open the report from a newer email, or ask whoever set up the reports for a new link.',
    },
    tampered: {
      title: 'This link is not valid',
      text: 'The link is damaged or was changed, so the report cannot open from it.',
      todo: 'Open the link from the email as it is, without changing it. If your mail split it over two lines, use the button in the email.',
    },
    failed: {
      title: 'The report could not be made',
    },
    failures: {
      out_of_time: {
        text: 'The report for so long a period could not be put together in the time it has.',
        todo: 'Open the report for a shorter period, a week instead of a month for instance. If you need this very period, ask whoever set up the reports to make it in parts.',
      },
      busy: {
        text: 'The same report was being made for another request at the time, and was not ready yet.',
        todo: 'Open this link again in a few minutes: the report will most likely be ready.',
      },
      data_api_auth: {
        text: 'The telephony service did not let us read the calls: its access key is wrong, expired, blocked, or not allowed from our server.',
        todo: 'Trying again will not help until this is fixed. Forward this page to whoever set up the reports: the access key needs checking in the telephony account.',
      },
      data_api_limit: {
        text: 'The request limit of the telephony service is used up: it takes no new requests for now.',
        todo: 'Open this link again later: the per-minute limit comes back in a minute, the daily one the next day.',
      },
      data_api_unavailable: {
        text: 'The telephony service did not answer our requests for the calls: it was down or answered with errors.',
        todo: 'This usually passes by itself. Open this link again in 10 minutes. If it still fails in an hour, forward this page to whoever set up the reports.',
      },
      data_api_refused: {
        text: 'The telephony service refused to give the calls: a setting of the report is wrong (the report number in the account, for instance).',
        todo: "Trying again will not help. Forward this page to whoever set up the reports: the subscription's settings need fixing.",
      },
      subscription_gone: {
        text: 'The subscription this report was made for no longer exists.',
        todo: 'Ask whoever set up the reports: the subscription may have been renamed or removed.',
      },
      email_failed: {
        text: 'The report was made, but its email could not be sent.',
        todo: 'Open this link again in 10 minutes to make a new attempt. If the email still does not come, forward this page to whoever set up the reports.',
      },
      telegram_failed: {
        text: 'The report was made, but its message could not be posted to Telegram.',
        todo: 'Open this link again in 10 minutes. If the bot still does not post in the chat, forward this page to whoever set up the reports: the bot may have been removed from the chat.',
      },
      internal: {
        text: 'An error happened on our side while the report was being made.',
        todo: 'Open this link again in 10 minutes to make a new attempt. If it fails again, forward this page to whoever set up the reports.',
      },
    },
    failureRetryAt: 'The limit opens again after {at}; open this link again then.',
    adminDetail: 'For the administrator:',
    unknownSubscription: {
      title: 'Subscription not found',
      text: 'The subscription "{subscription}" this link was made for no longer exists.',
      todo: 'Ask whoever set up the reports: the subscription may have been renamed or removed.',
    },
    gone: {
      title: 'This report is no longer kept',
      text: 'This report was deleted from storage: reports are kept for a limited time.',
      todo: 'Make the report for the period you need again from the quick links of the latest email.',
    },
    cooldown: {
      title: 'The email was sent a moment ago',
      text: "This subscription's report was emailed very recently.",
      todo: 'You can send it again after {at}. The report itself opens from the link below.',
    },
    forbidden: {
      title: 'This link does not allow that',
      text: 'This link was not given the right to do this.',
      todo: 'Open the link from the latest report email, or ask whoever set up the reports for a new one.',
    },
    notAllowed: {
      title: 'This page cannot be opened this way',
      text: 'This page opens only from the link in the email.',
      todo: 'Click the link in the email again.',
    },
    internal: {
      title: 'Something went wrong',
      text: 'An error happened on our side (request id {request}).',
      todo: 'Reload the page in a minute. If it happens again, forward the request id to whoever set up the reports.',
    },
    back: 'Open the report',
  },
};
