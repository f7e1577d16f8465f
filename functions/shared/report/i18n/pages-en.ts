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
      text: 'Something went wrong while the report was being made. The reason: {reason}',
      todo: 'Open this link again in 10 minutes to make a new attempt. If it fails again, forward this page to whoever set up the reports.',
    },
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
