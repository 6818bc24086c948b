import React from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DataText } from '../DataText/DataText';
import { SortHeaderCell } from './SortHeader';

describe('SortHeaderCell', () => {
  it('says its order in aria-sort and an arrow, and sorts from a click, Enter or Space', async () => {
    const onSort = jest.fn();
    const { rerender } = render(<SortHeaderCell label="Self" onSort={onSort} testId="cell" buttonTestId="button" />);
    const cell = screen.getByRole('columnheader');
    expect(cell).toBe(screen.getByTestId('cell'));
    expect(cell).toHaveAttribute('aria-sort', 'none');
    const button = screen.getByRole('button', { name: 'Self' });
    expect(button).toBe(screen.getByTestId('button'));
    expect(button).toHaveTextContent(/^Self$/);

    await userEvent.click(button);
    button.focus();
    await userEvent.keyboard('{Enter}');
    await userEvent.keyboard(' ');
    expect(onSort).toHaveBeenCalledTimes(3);

    rerender(<SortHeaderCell label="Self" direction="descending" onSort={onSort} />);
    expect(screen.getByRole('columnheader')).toHaveAttribute('aria-sort', 'descending');
    expect(screen.getByRole('button')).toHaveTextContent(/^Self↓$/);
    // The arrow is for the eye: the name stays the column's.
    expect(screen.getByRole('button', { name: 'Self' })).toBeInTheDocument();
    rerender(<SortHeaderCell label="Self" direction="ascending" onSort={onSort} />);
    expect(screen.getByRole('columnheader')).toHaveAttribute('aria-sort', 'ascending');
    expect(screen.getByRole('button')).toHaveTextContent(/^Self↑$/);
  });

  it('renders trace data as text, with a tooltip and extra controls beside the button', () => {
    render(
      <SortHeaderCell label={<DataText>{'<b>http.status</b>'}</DataText>} title="an attribute" onSort={() => {}}>
        <button type="button">Remove</button>
      </SortHeaderCell>
    );
    const sort = screen.getByTitle('an attribute');
    expect(sort).toHaveTextContent('<b>http.status</b>');
    expect(sort.querySelector('b')).toBeNull();
    expect(screen.getByRole('columnheader')).toContainElement(screen.getByRole('button', { name: 'Remove' }));
  });
});
