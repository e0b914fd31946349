import { useI18n } from '../../context';
import { SelectField } from '../../components/ui';

export type MailLanguage = 'zh-CN' | 'en';

/**
 * "Send the link by e-mail" and the e-mail's language, as the one-invitation
 * form and the pasted list both offer them.
 */
export function MailOptions({
  idPrefix = '',
  sendEmail,
  onSendEmail,
  language,
  onLanguage,
  errors,
}: {
  /** keeps the two forms' field ids apart ("" or "bulk-") */
  idPrefix?: string;
  sendEmail: boolean;
  onSendEmail: (v: boolean) => void;
  language: MailLanguage;
  onLanguage: (v: MailLanguage) => void;
  errors?: string[];
}) {
  const { t } = useI18n();
  return (
    <>
      <div className="field">
        <label className="check">
          <input type="checkbox" data-testid={`${idPrefix}send-email`} checked={sendEmail} onChange={(e) => onSendEmail(e.target.checked)} /> {t('mail.send')}
        </label>
      </div>
      <SelectField<MailLanguage>
        label={t('mail.language')}
        field={`${idPrefix}language`}
        value={language}
        onChange={onLanguage}
        options={[
          { value: 'zh-CN', label: '中文' },
          { value: 'en', label: 'English' },
        ]}
        errors={errors}
      />
    </>
  );
}
