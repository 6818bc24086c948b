import React, { ReactNode, useRef } from 'react';
import { css } from '@emotion/css';
import { Button, IconName } from '@grafana/ui';

export interface FileButtonProps {
  children: ReactNode;
  /** what the visually hidden file input is called for assistive technology */
  label: string;
  onFiles: (files: FileList) => void;
  icon?: IconName;
  tooltip?: string;
  disabled?: boolean;
  className?: string;
  buttonTestId?: string;
  inputTestId?: string;
}

// Out of sight but in the page, so that tests can set its files; the button is what a user clicks and tabs to.
const hidden = css({
  position: 'absolute',
  width: 1,
  height: 1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
});

/** A Grafana button that opens the browser's file picker (a styled button over a hidden file input). */
export function FileButton({
  children,
  label,
  onFiles,
  icon = 'file-alt',
  tooltip,
  disabled,
  className,
  buttonTestId,
  inputTestId,
}: FileButtonProps) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <Button
        type="button"
        variant="secondary"
        icon={icon}
        className={className}
        tooltip={tooltip}
        disabled={disabled}
        onClick={() => input.current?.click()}
        data-testid={buttonTestId}
      >
        {children}
      </Button>
      <input
        ref={input}
        type="file"
        className={hidden}
        aria-label={label}
        tabIndex={-1}
        data-testid={inputTestId}
        onChange={(e) => {
          const { files } = e.currentTarget;
          if (files && files.length > 0) {
            onFiles(files);
          }
          // Picking the same file again (after fixing it) fires change again.
          e.currentTarget.value = '';
        }}
      />
    </>
  );
}
